/** How ledger rows read in the controlled book, and which ranges and months it accepts, without a database. */
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { stockReasonValues, type StockReason } from "@asky/db/schema/dispensers";
import { bookMovementOf, documentOf } from "../../src/domain/book-movement.js";
import { checkBookRange, checkClosableMonth } from "../../src/domain/book-period.js";

/** Spelled out here rather than read from the code under test: [negative delta, positive delta]. */
const movements: Record<StockReason, [string | null, string | null]> = {
  RESTOCK: [null, "ENTRY"],
  RETURNED: [null, "ENTRY"],
  DISPENSED: ["EXIT", null],
  EXPIRED: ["LOSS", null],
  DAMAGED: ["LOSS", null],
  COUNT_CORRECTION: ["LOSS", "ENTRY"],
  OTHER: ["LOSS", "ENTRY"],
};

const reasonOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  return "accepted";
};

describe("bookMovementOf", () => {
  it.each(stockReasonValues)("%s", (reason) => {
    const [negative, positive] = movements[reason];
    if (negative) expect(bookMovementOf(reason, -2)).toBe(negative);
    if (positive) expect(bookMovementOf(reason, 2)).toBe(positive);
  });
});

describe("documentOf", () => {
  const row = { seq: 42, note: null, sourceEventId: null };
  it("names a delivered restock by its request number, or its request id when the note lacks one", () => {
    const sourceEventId = "restock:7f1c9d5e-0000-4000-8000-000000000001:item";
    expect(documentOf({ ...row, sourceEventId, note: "Delivered REQ-000123" })).toBe("REQ-000123");
    expect(documentOf({ ...row, sourceEventId, note: "lot L-1" })).toBe("RESTOCK 7f1c9d5e-0000-4000-8000-000000000001");
  });
  it("takes an adjustment's note, else points at the ledger row", () => {
    expect(documentOf({ ...row, note: "  RX-2026-0001 " })).toBe("RX-2026-0001");
    expect(documentOf({ ...row, note: "   " })).toBe("MOV-000042");
    expect(documentOf({ ...row, seq: 12_345_678 })).toBe("MOV-12345678");
  });
});

describe("checkBookRange", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const at = (iso: string) => new Date(iso);
  it("accepts a forward range up to 366 days that does not start in the future", () => {
    expect(reasonOf(() => checkBookRange(at("2025-11-29T12:00:00Z"), now, now))).toBe("accepted");
    expect(reasonOf(() => checkBookRange(at("2026-11-01T03:00:00Z"), at("2026-12-01T03:00:00Z"), now))).toBe(
      "accepted",
    );
  });
  it.each([
    ["backward", "2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z", "INVALID_RANGE"],
    ["empty", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", "INVALID_RANGE"],
    ["future", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "INVALID_RANGE"],
    ["367 days", "2025-11-28T11:59:59Z", "2026-11-30T12:00:00Z", "RANGE_TOO_LONG"],
  ])("refuses a %s range", (_name, from, to, reason) => {
    expect(reasonOf(() => checkBookRange(at(from), at(to), now))).toMatchObject({ code: "BAD_USER_INPUT", reason });
  });
});

describe("checkClosableMonth", () => {
  const today = "2026-11-30";
  it.each(["2026-11", "2026-10", "2000-01"])("accepts %s", (month) => {
    expect(checkClosableMonth(month, today)).toBe(month);
  });
  it.each(["2026-12", "2027-01", "9999-12"])("refuses the future month %s", (month) => {
    expect(reasonOf(() => checkClosableMonth(month, today))).toMatchObject({ reason: "FUTURE_PERIOD" });
  });
  it.each([
    "2026-13",
    "2026-00",
    "1999-12",
    "26-11",
    "2026-1",
    "2026-11-01",
    "",
    " 2026-11",
    "２０２６-11",
    "x".repeat(1e4),
  ])("refuses the malformed month %j", (month) => {
    expect(reasonOf(() => checkClosableMonth(month, today))).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "INVALID_MONTH",
    });
  });
});
