import { describe, expect, it } from "vitest";
import { eventSubjects, InvalidEventError, stockMoved, stockReasons, type StockMovedData } from "../../src/index.js";
import { overTheWire } from "./fixtures.js";

const expiredLot: StockMovedData = {
  movementId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c10",
  seq: 41,
  stockLevelId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c05",
  dispenserId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c02",
  ward: "UTI-ADULTO",
  itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04",
  itemKind: "MEDICATION",
  reason: "EXPIRED",
  delta: -3,
  quantityBefore: 5,
  quantityAfter: 2,
  lotNumber: "L-2026",
  lotExpiresAt: "2026-02-28",
  unitCost: 1.25,
  movedAt: "2026-03-01T12:00:00.123Z",
};

const parse = (data: Record<string, unknown>) => () => stockMoved.parse(overTheWire(stockMoved.build(data as never)));

describe("asky.dispensers.stock_moved", () => {
  it("is listed with the other subjects and parses what build wrote", () => {
    expect(eventSubjects.stockMoved).toBe("asky.dispensers.stock_moved");
    const built = stockMoved.build(expiredLot);
    expect(stockMoved.parse(overTheWire(built)).data).toEqual(expiredLot);
  });

  it("takes a row of units of no known lot, and upper-case ids as Postgres prints them", () => {
    const unlotted = { ...expiredLot, reason: "DISPENSED", lotNumber: null, lotExpiresAt: null };
    expect(parse(unlotted)().data).toMatchObject({ lotNumber: null, lotExpiresAt: null });
    const upper = { ...expiredLot, itemId: expiredLot.itemId.toUpperCase() };
    expect(parse(upper)().data.itemId).toBe(expiredLot.itemId);
  });

  it("knows every reason of the ledger", () => {
    for (const reason of stockReasons) expect(parse({ ...expiredLot, reason })().data.reason).toBe(reason);
  });

  it.each([
    ["quantities that do not add up", { quantityAfter: 3 }],
    ["a zero delta", { delta: 0, quantityAfter: 5 }],
    ["a negative quantity", { quantityBefore: -1, quantityAfter: -4 }],
    ["an unknown reason", { reason: "STOLEN" }],
    ["an unknown item kind", { itemKind: "ASSISTANCE" }],
    ["a malformed id", { movementId: "41" }],
    ["a sequence of 0", { seq: 0 }],
    ["an expiry that is not a date", { lotExpiresAt: "soon" }],
    ["a negative cost", { unitCost: -1 }],
    ["no instant", { movedAt: undefined }],
  ])("refuses %s", (_what, change) => {
    expect(parse({ ...expiredLot, ...change })).toThrow(InvalidEventError);
  });
});
