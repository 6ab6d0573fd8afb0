import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import type { RequestEventData } from "@asky/contracts";
import { projectedLines } from "../../src/domain/projected-lines.js";
import { checkReportQuery } from "../../src/validation/report-query.js";

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  throw new Error("not refused");
};

describe("checkReportQuery", () => {
  const range = { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" };

  it("keeps distinct groups in the order asked, and normalizes the ward", () => {
    const query = checkReportQuery({ ...range, groupBy: ["WARD", "KIND", "WARD"], ward: " uti-adulto " });
    expect(query).toMatchObject({ groupBy: ["WARD", "KIND"], ward: "UTI-ADULTO" });
    expect(checkReportQuery({ ...range, groupBy: [], ward: "" }).ward).toBeNull();
  });

  it.each([
    [{ from: "2026-04-01T00:00:00Z", to: "2026-03-01T00:00:00Z" }, "INVALID_RANGE"],
    [{ from: "2026-03-01T00:00:00Z", to: "2026-03-01T00:00:00Z" }, "INVALID_RANGE"],
    [{ from: "not a date", to: "2026-03-01T00:00:00Z" }, "INVALID_RANGE"],
    [{ from: "2025-01-01T00:00:00Z", to: "2026-01-02T00:00:01Z" }, "RANGE_TOO_LONG"],
  ])("refuses the range %j with %s", (dates, reason) => {
    expect(refusal(() => checkReportQuery({ ...dates, groupBy: [] }))).toMatchObject({
      code: "BAD_USER_INPUT",
      reason,
    });
  });

  it("accepts 366 days, and refuses four distinct groups", () => {
    expect(() =>
      checkReportQuery({ from: "2024-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z", groupBy: [] }),
    ).not.toThrow();
    expect(refusal(() => checkReportQuery({ ...range, groupBy: ["A", "B", "C", "D"] }))).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "TOO_MANY_GROUPS",
    });
  });
});

describe("projectedLines", () => {
  const base = { previousStatus: null, status: "PENDING", items: [], lines: null } as unknown as RequestEventData;
  const item = { itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04", itemKind: "MEDICATION" as const, quantity: 3 };

  it("reads an older creation's items as what was asked for", () => {
    expect(projectedLines({ ...base, items: [item] })).toEqual([
      expect.objectContaining({
        quantityRequested: 3,
        quantityDispatched: null,
        quantityReceived: null,
        unitCost: null,
      }),
    ]);
  });

  it("reads an older delivery's items as what arrived, and leaves what was asked unknown", () => {
    const delivered = { ...base, previousStatus: "DISPATCHED", status: "DELIVERED", items: [item] } as RequestEventData;
    expect(projectedLines(delivered)).toEqual([
      expect.objectContaining({ quantityRequested: null, quantityReceived: 3 }),
    ]);
  });
});
