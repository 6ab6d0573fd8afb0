import { describe, expect, it } from "vitest";
import { as, call, codeOf, ok } from "./support.js";
import { adjust, inDays, slot } from "./stock-fixtures.js";

interface ExpiringLot {
  lotNumber: string;
  expiresAt: string;
  quantity: number;
  expired: boolean;
  daysUntilExpiry: number;
  dispenser: { id: string; code: string; ward: string };
  item: { id: string; name: string };
}

const query = `query($days: Int!, $ward: String, $dispenserId: ID) {
  expiringLots(withinDays: $days, ward: $ward, dispenserId: $dispenserId) {
    lotNumber expiresAt quantity expired daysUntilExpiry dispenser { id code ward } item { id name }
  }
}`;

describe("expiringLots", () => {
  it("lists lots expiring within N days and already-expired ones, first-expiring first, with their cabinet and item", async () => {
    const { dispenserId, itemId, code } = await slot();
    await adjust({ dispenserId, itemId, delta: 4, reason: "RESTOCK", lotNumber: "FAR", expiresAt: inDays(120) });
    await adjust({ dispenserId, itemId, delta: 4, reason: "RESTOCK", lotNumber: "NEAR", expiresAt: inDays(10) });
    await adjust({
      dispenserId,
      itemId,
      delta: 2,
      reason: "COUNT_CORRECTION",
      lotNumber: "PAST",
      expiresAt: inDays(-5),
    });

    const { expiringLots } = await ok<{ expiringLots: ExpiringLot[] }>(as.nurse, query, { days: 30, dispenserId });
    expect(expiringLots.map(({ lotNumber, quantity, expired }) => ({ lotNumber, quantity, expired }))).toEqual([
      { lotNumber: "PAST", quantity: 2, expired: true },
      { lotNumber: "NEAR", quantity: 4, expired: false },
    ]);
    expect(expiringLots[0]).toMatchObject({
      dispenser: { id: dispenserId, code, ward: "CLINICA-CIRURGICA" },
      item: { id: itemId },
    });
    expect(expiringLots[0]!.daysUntilExpiry).toBeLessThan(0);
    expect(expiringLots[1]!.daysUntilExpiry).toBeGreaterThan(5);

    const byWard = await ok<{ expiringLots: ExpiringLot[] }>(as.nurse, query, { days: 365, ward: "CLINICA-CIRURGICA" });
    expect(byWard.expiringLots.every((lot) => lot.dispenser.ward === "CLINICA-CIRURGICA")).toBe(true);
    expect(byWard.expiringLots.filter((lot) => lot.dispenser.id === dispenserId).map((lot) => lot.lotNumber)).toEqual([
      "PAST",
      "NEAR",
      "FAR",
    ]);
    const dates = byWard.expiringLots.map((lot) => lot.expiresAt);
    expect(dates).toEqual([...dates].sort());
  });

  it("refuses an out-of-range window and an unknown dispenser", async () => {
    expect(codeOf(await call(as.nurse, query, { days: -1 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await call(as.nurse, query, { days: 366 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await call(as.nurse, query, { days: 10, dispenserId: "00000000-0000-4000-8000-000000000000" }))).toBe(
      "NOT_FOUND",
    );
    expect(codeOf(await call(as.nurse, query, { days: 10, ward: "w".repeat(41) }))).toBe("BAD_USER_INPUT");
  });

  it("shows the seed's expired lots flagged", async () => {
    const { expiringLots } = await ok<{ expiringLots: ExpiringLot[] }>(as.pharmacist, query, { days: 0 });
    expect(expiringLots.length).toBeGreaterThan(0);
    expect(expiringLots.every((lot) => lot.daysUntilExpiry <= 0)).toBe(true);
    expect(expiringLots.some((lot) => lot.expired)).toBe(true);
  });
});
