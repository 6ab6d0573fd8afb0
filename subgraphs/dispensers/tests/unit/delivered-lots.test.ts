/** How a delivered RESTOCK line lands in a cabinet's lots: never refused, odd cases applied the safe way. */
import { describe, expect, it } from "vitest";
import { planDeliveredLots, type CabinetLot } from "../../src/domain/delivered-lots.js";

const today = "2030-06-15";

describe("planDeliveredLots", () => {
  it("adds each named lot with its expiry and one ledger part per lot", () => {
    const plan = planDeliveredLots(
      [],
      [
        { lotNumber: "A", expiresAt: "2030-09-30", quantity: 6 },
        { lotNumber: "B", expiresAt: "2031-01-31", quantity: 4 },
      ],
      10,
      today,
    );
    expect(plan).toEqual({
      additions: [
        { lotNumber: "A", expiresAt: "2030-09-30", quantity: 6 },
        { lotNumber: "B", expiresAt: "2031-01-31", quantity: 4 },
      ],
      movements: [
        { lotNumber: "A", delta: 6 },
        { lotNumber: "B", delta: 4 },
      ],
      notices: [],
    });
  });

  it("adds units beyond the named lots, or of a line without lots (older events), as units of no known lot", () => {
    const partly = planDeliveredLots([], [{ lotNumber: "A", expiresAt: "2030-09-30", quantity: 6 }], 9, today);
    expect(partly.movements).toEqual([
      { lotNumber: "A", delta: 6 },
      { lotNumber: null, delta: 3 },
    ]);
    expect(planDeliveredLots([], [], 5, today)).toEqual({
      additions: [],
      movements: [{ lotNumber: null, delta: 5 }],
      notices: [],
    });
  });

  it("keeps the earlier expiry when the cabinet knows the lot under another date, and says so", () => {
    const cabinet: CabinetLot[] = [{ lotNumber: "A", expiresAt: "2030-08-31" }];
    const later = planDeliveredLots(cabinet, [{ lotNumber: "A", expiresAt: "2030-12-31", quantity: 2 }], 2, today);
    expect(later.additions).toEqual([{ lotNumber: "A", expiresAt: "2030-08-31", quantity: 2 }]);
    expect(later.notices).toEqual([
      { kind: "expiry_mismatch", lotNumber: "A", cabinet: "2030-08-31", delivered: "2030-12-31" },
    ]);
    const earlier = planDeliveredLots(cabinet, [{ lotNumber: "A", expiresAt: "2030-07-31", quantity: 2 }], 2, today);
    expect(earlier.additions).toEqual([{ lotNumber: "A", expiresAt: "2030-07-31", quantity: 2 }]);
    const same = planDeliveredLots(cabinet, [{ lotNumber: "A", expiresAt: "2030-08-31", quantity: 2 }], 2, today);
    expect(same.notices).toEqual([]);
  });

  it("still adds a lot that expired on the way (it is in the drawer) and reports it", () => {
    const plan = planDeliveredLots([], [{ lotNumber: "OLD", expiresAt: "2030-06-14", quantity: 3 }], 3, today);
    expect(plan.additions).toEqual([{ lotNumber: "OLD", expiresAt: "2030-06-14", quantity: 3 }]);
    expect(plan.notices).toEqual([{ kind: "expired_on_arrival", lotNumber: "OLD", expiresAt: "2030-06-14" }]);
    // Expiring today is still good today.
    expect(planDeliveredLots([], [{ lotNumber: "T", expiresAt: today, quantity: 1 }], 1, today).notices).toEqual([]);
  });

  it("adds an undated material lot to a dated row of its number, else as units of no known lot", () => {
    const undated = [{ lotNumber: "M-1", expiresAt: null, quantity: 5 }];
    const known = planDeliveredLots([{ lotNumber: "M-1", expiresAt: "2032-01-31" }], undated, 5, today);
    expect(known.additions).toEqual([{ lotNumber: "M-1", expiresAt: "2032-01-31", quantity: 5 }]);
    expect(known.movements).toEqual([{ lotNumber: "M-1", delta: 5 }]);
    const unknown = planDeliveredLots([], undated, 5, today);
    expect(unknown.additions).toEqual([]);
    expect(unknown.movements).toEqual([{ lotNumber: null, delta: 5 }]);
    expect(unknown.notices).toEqual([{ kind: "undated_lot", lotNumber: "M-1", quantity: 5 }]);
  });
});
