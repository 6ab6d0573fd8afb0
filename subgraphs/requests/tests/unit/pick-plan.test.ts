import { describe, expect, it } from "vitest";
import type { GraphQLError } from "graphql";
import type { CatalogFacts } from "../../src/clients/dispensers-client.js";
import type { RequestItemRow } from "../../src/data/requests.js";
import { planPick } from "../../src/services/pick-plan.js";
import { addDays, hospitalToday } from "@asky/runtime";
import { normalizeRecordPick } from "../../src/validation/record-pick-input.js";

const requestId = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c01";
const dipirona = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04";
const paracetamol = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c05";
const syringe = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c06";
const gauze = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c07";
const bandage = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c08";

function line(id: string, itemId: string, itemKind: "MEDICATION" | "MATERIAL", quantity: number): RequestItemRow {
  return {
    id,
    requestId,
    itemId,
    itemKind,
    quantity,
    unitCost: "1.00",
    status: "OPEN",
    quantityDispatched: null,
    quantityReceived: null,
    reasonCode: null,
    note: null,
    substitutedById: null,
    controlled: itemKind === "MATERIAL" ? false : null,
    controlList: null,
    therapeuticClass: null,
    receiptNote: null,
  };
}

const lines = [
  line("5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1d01", dipirona, "MEDICATION", 10),
  line("5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1d02", syringe, "MATERIAL", 5),
  line("5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1d03", gauze, "MATERIAL", 5),
];
const catalog = new Map<string, CatalogFacts>([
  [paracetamol, { id: paracetamol, kind: "MEDICATION", unitCost: 0.42, controlList: null, therapeuticClass: null }],
  [gauze, { id: gauze, kind: "MATERIAL", unitCost: 0.1, controlList: null, therapeuticClass: null }],
  [bandage, { id: bandage, kind: "MATERIAL", unitCost: 0.2, controlList: null, therapeuticClass: null }],
]);
const future = addDays(hospitalToday(), 200);

const plan = (pickLines: Record<string, unknown>[]) =>
  planPick(normalizeRecordPick({ requestId, expectedVersion: 3, lines: pickLines as never }).lines, lines, catalog);

/** The refusal's code and extensions (field, reason) as a client reads them. */
function refusal(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    return { ...(error as GraphQLError).extensions };
  }
  throw new Error("not refused");
}

describe("planPick", () => {
  it("gives each pick its status: PICKED, PARTIAL, BACKORDERED, CANCELLED, SUBSTITUTED", () => {
    const lots = [{ lotNumber: "L1", expiresAt: future, quantity: 10 }];
    expect(plan([{ itemId: dipirona, quantity: 10, lots }])[0]).toMatchObject({
      status: "PICKED",
      quantityDispatched: 10,
    });
    expect(plan([{ itemId: syringe, quantity: 3, reasonCode: "STOCKOUT" }])[0]).toMatchObject({
      status: "PARTIAL",
      quantityDispatched: 3,
    });
    expect(plan([{ itemId: syringe, quantity: 0, reasonCode: "BACKORDER" }])[0]).toMatchObject({
      status: "BACKORDERED",
    });
    expect(plan([{ itemId: syringe, quantity: 0, reasonCode: "DAMAGED" }])[0]).toMatchObject({ status: "CANCELLED" });
    const substituted = plan([
      { itemId: dipirona, quantity: 4, substituteItemId: paracetamol, lots: [{ ...lots[0], quantity: 4 }] },
    ])[0]!;
    expect(substituted).toMatchObject({
      status: "SUBSTITUTED",
      quantityDispatched: 0,
      reasonCode: "SUBSTITUTION",
      lots: [],
    });
    expect(substituted.substitute).toMatchObject({ itemId: paracetamol, quantity: 4, unitCost: "0.42", reuseId: null });
  });

  it.each([
    ["an unknown item", { itemId: paracetamol, quantity: 1 }, "lines[0].itemId", undefined],
    ["more than requested", { itemId: syringe, quantity: 6 }, "lines[0].quantity", undefined],
    ["short without a reason", { itemId: syringe, quantity: 4 }, "lines[0].reasonCode", undefined],
    ["full with a reason", { itemId: syringe, quantity: 5, reasonCode: "STOCKOUT" }, "lines[0].reasonCode", undefined],
    ["OTHER without a note", { itemId: syringe, quantity: 4, reasonCode: "OTHER" }, "lines[0].note", undefined],
    ["a medication without lots", { itemId: dipirona, quantity: 10 }, "lines[0].lots", "LOTS_REQUIRED"],
    [
      "lots not adding up",
      {
        itemId: syringe,
        quantity: 5,
        lots: [
          { lotNumber: "A", quantity: 2 },
          { lotNumber: "B", quantity: 2 },
        ],
      },
      "lines[0].lots",
      "LOTS_DO_NOT_ADD_UP",
    ],
    [
      "an expired lot",
      {
        itemId: dipirona,
        quantity: 10,
        lots: [{ lotNumber: "A", expiresAt: addDays(hospitalToday(), -1), quantity: 10 }],
      },
      "lines[0].lots[0].expiresAt",
      "EXPIRED_LOT",
    ],
    [
      "a material for a medication",
      { itemId: dipirona, quantity: 1, substituteItemId: bandage },
      "lines[0].substituteItemId",
      "SUBSTITUTE_KIND_MISMATCH",
    ],
    [
      "a substitute already asked for",
      { itemId: syringe, quantity: 1, substituteItemId: gauze },
      "lines[0].substituteItemId",
      "SUBSTITUTE_ALREADY_ON_REQUEST",
    ],
    [
      "a substitute of quantity 0",
      { itemId: syringe, quantity: 0, substituteItemId: bandage },
      "lines[0].quantity",
      undefined,
    ],
  ])("refuses %s", (_name, pick, field, reason) => {
    expect(refusal(() => plan([pick]))).toMatchObject({ code: "BAD_USER_INPUT", field, ...(reason ? { reason } : {}) });
  });

  it("accepts a lot expiring today (usable through its date) and a material without lots", () => {
    const today = [{ lotNumber: "A", expiresAt: hospitalToday(), quantity: 10 }];
    expect(
      plan([
        { itemId: dipirona, quantity: 10, lots: today },
        { itemId: syringe, quantity: 5 },
      ]),
    ).toHaveLength(2);
  });

  it("refuses 10,000 lines before reading any, and the same item twice", () => {
    const many = Array.from({ length: 10_000 }, () => ({ itemId: syringe, quantity: 1 }));
    expect(refusal(() => plan(many))).toMatchObject({ code: "BAD_USER_INPUT", field: "lines" });
    expect(
      refusal(() =>
        plan([
          { itemId: syringe, quantity: 5 },
          { itemId: syringe, quantity: 5 },
        ]),
      ),
    ).toMatchObject({
      field: "lines[1].itemId",
    });
  });
});
