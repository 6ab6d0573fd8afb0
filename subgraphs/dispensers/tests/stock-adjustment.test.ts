import { afterAll, describe, expect, it } from "vitest";
import { as, call, codeOf, ok } from "./support.js";
import { adminPool } from "./support.js";
import { adjust, adjustStock, inDays, slot, type Level } from "./stock-fixtures.js";

const pool = adminPool();
afterAll(() => pool.end());

async function ledger(levelId: string) {
  const { rows } = await pool.query<{
    reason: string;
    delta: number;
    before: number;
    after: number;
    lot: string | null;
    actor: string | null;
    note: string | null;
  }>(
    `select reason, delta, quantity_before as before, quantity_after as after, lot_number as lot, actor_id as actor, note
       from dispensers.stock_movements where stock_level_id = $1
      -- Parts of one movement share its timestamp; their running quantities give the order.
      order by at, case when delta < 0 then -quantity_before else quantity_before end`,
    [levelId],
  );
  return rows;
}

describe("adjustStock", () => {
  it("creates the level on the first restock, with the lot and a ledger row", async () => {
    const { dispenserId, itemId } = await slot();
    const level = await adjust({
      dispenserId,
      itemId,
      delta: 40,
      reason: "RESTOCK",
      lotNumber: "L-A",
      expiresAt: inDays(200),
      note: "carga",
    });
    expect(level).toMatchObject({
      quantity: 40,
      parLevel: 40,
      minLevel: 10,
      low: false,
      available: 40,
      suggestedRestock: 0,
    });
    expect(level.lots).toEqual([{ lotNumber: "L-A", expiresAt: inDays(200), quantity: 40, expired: false }]);
    expect(await ledger(level.id)).toEqual([
      { reason: "RESTOCK", delta: 40, before: 0, after: 40, lot: "L-A", actor: as.tech.id, note: "carga" },
    ]);
  });

  it("takes parLevel and minLevel on creation and checks them", async () => {
    const { dispenserId, itemId } = await slot();
    const bad = await call(as.tech, adjustStock, {
      input: { dispenserId, itemId, delta: 5, reason: "RESTOCK", parLevel: 10, minLevel: 11 },
    });
    expect(codeOf(bad)).toBe("BAD_USER_INPUT");
    const level = await adjust({ dispenserId, itemId, delta: 5, reason: "RESTOCK", parLevel: 30, minLevel: 8 });
    expect(level).toMatchObject({ quantity: 5, parLevel: 30, minLevel: 8, low: true, suggestedRestock: 25, lots: [] });
  });

  it("takes first-expiring lots first, writing one ledger row per lot", async () => {
    const { dispenserId, itemId } = await slot();
    await adjust({ dispenserId, itemId, delta: 5, reason: "RESTOCK", lotNumber: "LATE", expiresAt: inDays(300) });
    await adjust({ dispenserId, itemId, delta: 5, reason: "RESTOCK", lotNumber: "SOON", expiresAt: inDays(20) });
    const level = await adjust({ dispenserId, itemId, delta: -7, reason: "DISPENSED" }, as.pharmacist);
    expect(level.quantity).toBe(3);
    expect(level.lots).toEqual([{ lotNumber: "LATE", expiresAt: inDays(300), quantity: 3, expired: false }]);
    const rows = await ledger(level.id);
    expect(rows.slice(2).map(({ lot, delta, before, after }) => ({ lot, delta, before, after }))).toEqual([
      { lot: "SOON", delta: -5, before: 10, after: 5 },
      { lot: "LATE", delta: -2, before: 5, after: 3 },
    ]);
  });

  it("never lets a quantity go negative, and changes nothing when refusing", async () => {
    const { dispenserId, itemId } = await slot();
    const level = await adjust({
      dispenserId,
      itemId,
      delta: 4,
      reason: "RESTOCK",
      lotNumber: "L1",
      expiresAt: inDays(90),
    });
    for (const input of [
      { delta: -5, reason: "DISPENSED" },
      { delta: -5, reason: "DAMAGED", lotNumber: "L1" },
      { delta: -1, reason: "DISPENSED", lotNumber: "NOPE" },
      { delta: -1, reason: "COUNT_CORRECTION", expiresAt: inDays(5) },
    ]) {
      expect(
        codeOf(await call(as.tech, adjustStock, { input: { dispenserId, itemId, ...input } })),
        JSON.stringify(input),
      ).toBe("BAD_USER_INPUT");
    }
    const { dispenser } = await ok<{ dispenser: { stock: Level[] } }>(
      as.nurse,
      `query($id: ID!) { dispenser(id: $id) { stock { quantity lots { quantity } } } }`,
      {
        id: dispenserId,
      },
    );
    expect(dispenser.stock).toEqual([{ quantity: 4, lots: [{ quantity: 4 }] }]);
    expect(await ledger(level.id)).toHaveLength(1);
  });

  it("checks reasons: signs, OTHER needs a note, dates and bounds", async () => {
    const { dispenserId, itemId } = await slot();
    const base = { dispenserId, itemId };
    const refused = [
      { delta: -1, reason: "RESTOCK" },
      { delta: 1, reason: "DISPENSED" },
      { delta: 0, reason: "COUNT_CORRECTION" },
      { delta: 3, reason: "OTHER" },
      { delta: 3, reason: "OTHER", note: "x".repeat(501) },
      { delta: 3, reason: "RESTOCK", lotNumber: "NEW" },
      { delta: 3, reason: "RESTOCK", lotNumber: "OLD", expiresAt: inDays(-3) },
      { delta: 3, reason: "RESTOCK", lotNumber: "L", expiresAt: "2026-02-30" },
      { delta: 3, reason: "RESTOCK", lotNumber: "L", expiresAt: "3026-01-01" },
      { delta: 3, reason: "RESTOCK", lotNumber: "y".repeat(41), expiresAt: inDays(30) },
      { delta: 1_000_000, reason: "RESTOCK" },
    ];
    for (const input of refused) {
      expect(
        codeOf(await call(as.tech, adjustStock, { input: { ...base, ...input } })),
        JSON.stringify(input).slice(0, 90),
      ).toBe("BAD_USER_INPUT");
    }
    const level = await adjust({ ...base, delta: 3, reason: "OTHER", note: "achado na gaveta" });
    expect(level.quantity).toBe(3);
  });

  it("answers unknown dispensers and items with NOT_FOUND and nurses with FORBIDDEN", async () => {
    const { dispenserId, itemId } = await slot();
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(
      codeOf(
        await call(as.tech, adjustStock, { input: { dispenserId: unknown, itemId, delta: 1, reason: "RESTOCK" } }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      codeOf(await call(as.tech, adjustStock, { input: { dispenserId, itemId: "nope", delta: 1, reason: "RESTOCK" } })),
    ).toBe("NOT_FOUND");
    expect(
      codeOf(await call(as.nurse, adjustStock, { input: { dispenserId, itemId, delta: 1, reason: "RESTOCK" } })),
    ).toBe("FORBIDDEN");
  });

  it("keeps expired lots out of `available` and out of dispensing", async () => {
    const { dispenserId, itemId } = await slot();
    await adjust({ dispenserId, itemId, delta: 6, reason: "RESTOCK", lotNumber: "GOOD", expiresAt: inDays(60) });
    // A count finds units of a lot that expired last week: that is recorded as it is.
    const level = await adjust({
      dispenserId,
      itemId,
      delta: 3,
      reason: "COUNT_CORRECTION",
      lotNumber: "OLD",
      expiresAt: inDays(-7),
    });
    expect(level).toMatchObject({ quantity: 9, available: 6 });
    expect(level.lots.map((lot) => [lot.lotNumber, lot.expired])).toEqual([
      ["OLD", true],
      ["GOOD", false],
    ]);

    expect(
      codeOf(
        await call(as.tech, adjustStock, {
          input: { dispenserId, itemId, delta: -1, reason: "DISPENSED", lotNumber: "OLD" },
        }),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(
      codeOf(await call(as.tech, adjustStock, { input: { dispenserId, itemId, delta: -7, reason: "DISPENSED" } })),
    ).toBe("BAD_USER_INPUT");
    const dispensed = await adjust({ dispenserId, itemId, delta: -2, reason: "DISPENSED" });
    expect(dispensed.lots.map((lot) => [lot.lotNumber, lot.quantity])).toEqual([
      ["OLD", 3],
      ["GOOD", 4],
    ]);
    const writtenOff = await adjust({ dispenserId, itemId, delta: -3, reason: "EXPIRED" });
    expect(writtenOff).toMatchObject({ quantity: 4, available: 4 });
    expect(writtenOff.lots.map((lot) => lot.lotNumber)).toEqual(["GOOD"]);
  });

  it("serializes concurrent adjustments: ten takes of one from five units leave zero, never less", async () => {
    const { dispenserId, itemId } = await slot();
    const level = await adjust({
      dispenserId,
      itemId,
      delta: 5,
      reason: "RESTOCK",
      lotNumber: "L",
      expiresAt: inDays(100),
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(as.tech, adjustStock, { input: { dispenserId, itemId, delta: -1, reason: "DISPENSED" } }),
      ),
    );
    expect(results.filter((result) => !result.errors).length).toBe(5);
    expect(results.filter((result) => codeOf(result) === "BAD_USER_INPUT").length).toBe(5);
    const rows = await ledger(level.id);
    expect(rows.map((row) => row.after)).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it("filters stock with lowOnly", async () => {
    const { dispenserId, itemId } = await slot();
    await adjust({ dispenserId, itemId, delta: 2, reason: "RESTOCK", parLevel: 10, minLevel: 5 });
    const query = `query($id: ID!) { dispenser(id: $id) { all: stock { item { id } } low: stock(lowOnly: true) { item { id } low } } }`;
    const { dispenser } = await ok<{ dispenser: { all: unknown[]; low: { low: boolean }[] } }>(as.nurse, query, {
      id: dispenserId,
    });
    expect(dispenser.all).toHaveLength(1);
    expect(dispenser.low).toEqual([{ item: { id: itemId }, low: true }]);
  });
});
