/** Which lots the units of a line are in, when the ward counted all, fewer or more than were sent. */
import { describe, expect, it } from "vitest";
import { lotsOfUnits, type LineLot } from "../../src/domain/received-lots.js";

const late: LineLot = { lotNumber: "B-2", expiresAt: "2031-06-30", quantity: 4 };
const early: LineLot = { lotNumber: "A-9", expiresAt: "2031-01-31", quantity: 6 };
const undated: LineLot = { lotNumber: "C-1", expiresAt: null, quantity: 2 };

describe("lotsOfUnits", () => {
  it("keeps every dispatched lot when every unit is counted, first-expiring first, undated last", () => {
    expect(lotsOfUnits([undated, late, early], 12)).toEqual([early, late, undated]);
  });

  it("takes the received units from the first-expiring lots when fewer arrived", () => {
    expect(lotsOfUnits([late, early], 8)).toEqual([early, { ...late, quantity: 2 }]);
    expect(lotsOfUnits([late, early], 6)).toEqual([early]);
    expect(lotsOfUnits([late, early], 1)).toEqual([{ ...early, quantity: 1 }]);
  });

  it("names no lot for units beyond the dispatched lots, or for a line without lots", () => {
    expect(lotsOfUnits([late, early], 15)).toEqual([early, late]);
    expect(lotsOfUnits([], 5)).toEqual([]);
  });

  it("orders lots of one expiry by number, so the same rows always give the same event", () => {
    const twin: LineLot = { ...early, lotNumber: "A-1" };
    expect(lotsOfUnits([early, twin], 7)).toEqual([twin, { ...early, quantity: 1 }]);
  });
});
