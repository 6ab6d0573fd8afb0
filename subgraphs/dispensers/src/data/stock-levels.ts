import DataLoader from "dataloader";
import { and, asc, eq, inArray } from "drizzle-orm";
import { catalogItems, stockLevels } from "@asky/db/schema/dispensers";
import { isUuid } from "@asky/contracts";
import type { CatalogItemRow } from "./catalog.js";
import type { DispensersDb, DispensersTx } from "./db.js";

export type StockLevelRow = typeof stockLevels.$inferSelect;

/** Stock of many dispensers in one statement, each list ordered by item name. */
export const createStockByDispenserLoader = (db: DispensersDb) =>
  new DataLoader<string, StockLevelRow[]>(async (dispenserIds) => {
    const ids = dispenserIds.filter(isUuid);
    const rows =
      ids.length === 0
        ? []
        : await db
            .select({ level: stockLevels })
            .from(stockLevels)
            .innerJoin(catalogItems, eq(catalogItems.id, stockLevels.itemId))
            .where(inArray(stockLevels.dispenserId, ids))
            .orderBy(asc(catalogItems.name), asc(stockLevels.id));
    const byDispenser = new Map<string, StockLevelRow[]>();
    for (const { level } of rows) {
      const list = byDispenser.get(level.dispenserId) ?? [];
      list.push(level);
      byDispenser.set(level.dispenserId, list);
    }
    return dispenserIds.map((id) => byDispenser.get(id) ?? []);
  });

/**
 * Locks the level for the rest of the transaction: concurrent adjustments of one item in
 * one cabinet queue here, so each reads the quantity the previous one committed.
 */
export async function lockStockLevel(
  tx: DispensersTx,
  dispenserId: string,
  itemId: string,
): Promise<StockLevelRow | null> {
  const [row] = await tx
    .select()
    .from(stockLevels)
    .where(and(eq(stockLevels.dispenserId, dispenserId), eq(stockLevels.itemId, itemId)))
    .for("update");
  return row ?? null;
}

/** Creates an empty level unless a concurrent transaction just did; the caller then locks it. */
export async function ensureStockLevel(
  tx: DispensersTx,
  values: { dispenserId: string; itemId: string; parLevel: number; minLevel: number },
): Promise<void> {
  await tx
    .insert(stockLevels)
    .values({ ...values, quantity: 0, low: false })
    .onConflictDoNothing();
}

export async function updateStockLevel(
  tx: DispensersTx,
  id: string,
  values: { quantity: number; low: boolean; parLevel?: number; minLevel?: number },
): Promise<StockLevelRow> {
  const [row] = await tx
    .update(stockLevels)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(stockLevels.id, id))
    .returning();
  if (!row) throw new Error(`stock level ${id} vanished while locked`);
  return row;
}

/** The cabinet's levels under their minimum, with their items, in lock order (by item id). */
export async function lowLevelsOf(
  tx: DispensersTx,
  dispenserId: string,
): Promise<{ level: StockLevelRow; item: CatalogItemRow }[]> {
  return tx
    .select({ level: stockLevels, item: catalogItems })
    .from(stockLevels)
    .innerJoin(catalogItems, eq(catalogItems.id, stockLevels.itemId))
    .where(and(eq(stockLevels.dispenserId, dispenserId), eq(stockLevels.low, true)))
    .orderBy(asc(stockLevels.itemId));
}
