import DataLoader from "dataloader";
import { asc, eq, inArray } from "drizzle-orm";
import { stockLots } from "@asky/db/schema/dispensers";
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
