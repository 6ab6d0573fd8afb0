/** The lot rules on their own, without a database. */
import { describe, expect, it } from "vitest";
import { planAdjustment, type LotState } from "../../src/domain/stock-plan.js";
import { initialLevels } from "../../src/domain/stock-rules.js";

const today = "2026-06-15";
const lots: LotState[] = [
  { id: "late", lotNumber: "LATE", expiresAt: "2027-01-01", quantity: 4 },
  { id: "past", lotNumber: "PAST", expiresAt: "2026-06-14", quantity: 2 },
  { id: "soon", lotNumber: "SOON", expiresAt: "2026-06-15", quantity: 3 },
];
// 9 in lots plus 1 unit nobody recorded a lot for.
const quantity = 10;
const intent = (
  delta: number,
  reason: Parameters<typeof planAdjustment>[2]["reason"],
  lotNumber: string | null = null,
  expiresAt: string | null = null,
) => ({ delta, reason, lotNumber, expiresAt, today });

describe("planAdjustment", () => {
  it("dispenses first-expiring unexpired lots first, then unlotted units; a lot is usable on its expiry day", () => {
    const plan = planAdjustment(quantity, lots, intent(-8, "DISPENSED"));
    expect(plan.quantityAfter).toBe(2);
    expect(plan.movements).toEqual([
      { lotNumber: "SOON", delta: -3 },
      { lotNumber: "LATE", delta: -4 },
      { lotNumber: null, delta: -1 },
    ]);
    expect(plan.lotChanges).toEqual([
      { kind: "delete", id: "soon" },
      { kind: "delete", id: "late" },
    ]);
    expect(() => planAdjustment(quantity, lots, intent(-9, "DISPENSED"))).toThrow(/Only 8 unexpired units/);
  });

  it("writes off expired lots only for EXPIRED, and everything FEFO for other removals", () => {
    expect(planAdjustment(quantity, lots, intent(-2, "EXPIRED")).movements).toEqual([{ lotNumber: "PAST", delta: -2 }]);
    expect(() => planAdjustment(quantity, lots, intent(-3, "EXPIRED"))).toThrow(/Only 2 expired units/);
    expect(planAdjustment(quantity, lots, intent(-3, "DAMAGED")).movements).toEqual([
      { lotNumber: "PAST", delta: -2 },
      { lotNumber: "SOON", delta: -1 },
    ]);
  });

  it("adds to a known lot, creates a new one with its expiry, and refuses contradictions", () => {
    expect(planAdjustment(quantity, lots, intent(5, "RESTOCK", "LATE")).lotChanges).toEqual([
      { kind: "update", id: "late", quantity: 9 },
    ]);
    expect(planAdjustment(quantity, lots, intent(5, "RESTOCK", "NEW", "2027-03-01")).lotChanges).toEqual([
      { kind: "insert", lotNumber: "NEW", expiresAt: "2027-03-01", quantity: 5 },
    ]);
    expect(() => planAdjustment(quantity, lots, intent(5, "RESTOCK", "LATE", "2027-02-01"))).toThrow(
      /expires on 2027-01-01/,
    );
    expect(() => planAdjustment(quantity, lots, intent(5, "RESTOCK", "NEW"))).toThrow(/expiresAt is required/);
    expect(() => planAdjustment(quantity, lots, intent(1, "RETURNED", "PAST"))).toThrow(/cannot go into a cabinet/);
    expect(planAdjustment(quantity, lots, intent(1, "COUNT_CORRECTION", "PAST")).quantityAfter).toBe(11);
  });

  it("never plans a negative quantity", () => {
    expect(() => planAdjustment(quantity, lots, intent(-11, "COUNT_CORRECTION"))).toThrow(/Only 10 in stock/);
    expect(() => planAdjustment(quantity, lots, intent(-5, "DISPENSED", "LATE"))).toThrow(/holds only 4/);
  });
});

describe("initialLevels", () => {
  it("takes the first load as par and a quarter of it as minimum unless told", () => {
    expect(initialLevels(40, null, null)).toEqual({ parLevel: 40, minLevel: 10 });
    expect(initialLevels(3, 20, null)).toEqual({ parLevel: 20, minLevel: 5 });
    expect(initialLevels(3, null, 8)).toEqual({ parLevel: 8, minLevel: 8 });
    expect(() => initialLevels(3, 5, 6)).toThrow(/minLevel/);
  });
});
