import { describe, expect, it } from "vitest";
import type { RequestItemRow } from "../../src/data/requests.js";
import { dispatchedOf, planReceipt } from "../../src/services/receipt-plan.js";

const requestId = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c01";

function line(
  id: string,
  status: RequestItemRow["status"],
  quantity: number,
  dispatched: number | null,
): RequestItemRow {
  return {
    id,
    requestId,
    itemId: `item-${id}`,
    itemKind: "MEDICATION",
    quantity,
    unitCost: "1.00",
    status,
    quantityDispatched: dispatched,
    quantityReceived: null,
    reasonCode: null,
    note: null,
    substitutedById: null,
    controlled: false,
    controlList: null,
    therapeuticClass: null,
    receiptNote: null,
  };
}

const lines = [
  line("a", "PICKED", 5, 5),
  line("b", "PARTIAL", 5, 3),
  line("c", "CANCELLED", 5, 0),
  line("d", "BACKORDERED", 5, 0),
  line("e", "BACKORDERED", 5, 2),
];
const received = (itemId: string, quantityReceived: number, note: string | null = null, index = 0) => ({
  index,
  itemId,
  quantityReceived,
  note,
});
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
  return null;
};

describe("receipt plan", () => {
  it("receives every line that went out, in full unless named", () => {
    expect(planReceipt([received("item-b", 2, "Uma ampola quebrada.")], lines)).toEqual([
      { lineId: "a", quantityReceived: 5, receiptNote: null },
      { lineId: "b", quantityReceived: 2, receiptNote: "Uma ampola quebrada." },
      { lineId: "e", quantityReceived: 2, receiptNote: null },
    ]);
  });

  it("counts an OPEN line of an old dispatch as sent whole, and a cancelled or substituted one as none", () => {
    expect(dispatchedOf(line("x", "OPEN", 4, null))).toBe(4);
    expect(dispatchedOf(line("x", "CANCELLED", 4, 0))).toBe(0);
    expect(dispatchedOf(line("x", "SUBSTITUTED", 4, 0))).toBe(0);
  });

  it("refuses unknown items, lines that sent nothing, too many units, and differences without a note", () => {
    expect(refusal(() => planReceipt([received("item-z", 1)], lines))).toMatchObject({ field: "lines[0].itemId" });
    expect(refusal(() => planReceipt([received("item-d", 0)], lines))).toMatchObject({ reason: "NOTHING_DISPATCHED" });
    expect(refusal(() => planReceipt([received("item-a", 6, "mais")], lines))).toMatchObject({
      field: "lines[0].quantityReceived",
    });
    expect(refusal(() => planReceipt([received("item-a", 4)], lines))).toMatchObject({ field: "lines[0].note" });
  });
});
