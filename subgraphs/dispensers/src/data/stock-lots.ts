import DataLoader from "dataloader";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { stockLots } from "@asky/db/schema/dispensers";
import type { LotAddition } from "../domain/delivered-lots.js";
import type { LotChange } from "../domain/stock-plan.js";
import type { DispensersDb, DispensersTx } from "./db.js";

export type StockLotRow = typeof stockLots.$inferSelect;

const fefo = [asc(stockLots.expiresAt), asc(stockLots.lotNumber)] as const;

/** Lots of many stock levels in one statement, first-expiring first. */
export const createLotsByLevelLoader = (db: DispensersDb) =>
  new DataLoader<string, StockLotRow[]>(async (levelIds) => {
    const rows = await db
      .select()
      .from(stockLots)
      .where(inArray(stockLots.stockLevelId, [...levelIds]))
      .orderBy(...fefo);
    const byLevel = new Map<string, StockLotRow[]>();
    for (const row of rows) {
      const list = byLevel.get(row.stockLevelId) ?? [];
      list.push(row);
      byLevel.set(row.stockLevelId, list);
    }
    return levelIds.map((id) => byLevel.get(id) ?? []);
  });

export const lockLots = (tx: DispensersTx, levelId: string): Promise<StockLotRow[]> =>
  tx
    .select()
    .from(stockLots)
    .where(eq(stockLots.stockLevelId, levelId))
    .orderBy(...fefo)
    .for("update");

/** Applies a plan's lot changes; an emptied lot is deleted (the ledger keeps its number). */
export async function applyLotChanges(tx: DispensersTx, levelId: string, changes: readonly LotChange[]): Promise<void> {
  for (const change of changes) {
    if (change.kind === "insert") {
      await tx.insert(stockLots).values({
        stockLevelId: levelId,
        lotNumber: change.lotNumber,
        expiresAt: change.expiresAt,
        quantity: change.quantity,
      });
    } else if (change.kind === "update") {
      await tx.update(stockLots).set({ quantity: change.quantity }).where(eq(stockLots.id, change.id));
    } else {
      await tx.delete(stockLots).where(eq(stockLots.id, change.id));
    }
  }
}

/**
 * Adds delivered units to a level's lots in one statement: a new row per new lot number, the
 * units merged into the row of a number already there. Of two expiries for one number the
 * earlier stays (see planDeliveredLots); the database applies the same rule, so the row
 * never gets a later date than either record. Call with the level locked.
 */
export async function addToLots(tx: DispensersTx, levelId: string, additions: readonly LotAddition[]): Promise<void> {
  if (additions.length === 0) return;
  await tx
    .insert(stockLots)
    .values(additions.map((lot) => ({ stockLevelId: levelId, ...lot })))
    .onConflictDoUpdate({
      target: [stockLots.stockLevelId, stockLots.lotNumber],
      set: {
        quantity: sql`${stockLots.quantity} + excluded.quantity`,
        expiresAt: sql`least(${stockLots.expiresAt}, excluded.expires_at)`,
      },
    });
}
