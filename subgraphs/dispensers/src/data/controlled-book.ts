import { and, asc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { catalogItems, stockLevels, stockMovements, type ControlList } from "@asky/db/schema/dispensers";
import type { DispensersDb } from "./db.js";

export interface BookScope {
  readonly list: ControlList;
  /** One item of the list, or every item of it. */
  readonly itemId: string | null;
  readonly from: Date;
  readonly to: Date;
}

export interface BookItemSummary {
  readonly itemId: string;
  /** Units in every cabinet at `from`. */
  readonly opening: number;
  /** Ledger rows in [from, to). */
  readonly entries: number;
}

export interface BookEntryRow {
  readonly id: string;
  readonly seq: number;
  readonly at: Date;
  readonly itemId: string;
  readonly dispenserId: string;
  readonly reason: (typeof stockMovements.$inferSelect)["reason"];
  readonly note: string | null;
  readonly delta: number;
  readonly lotNumber: string | null;
  readonly actorId: string | null;
  readonly witnessId: string | null;
  readonly sourceEventId: string | null;
}

function itemsOf(scope: BookScope): SQL | undefined {
  const list = eq(catalogItems.controlList, scope.list);
  return scope.itemId === null ? list : and(list, eq(catalogItems.id, scope.itemId));
}

/**
 * Per item of the list (its current list): the hospital-wide balance at `from`, the sum of
 * every cabinet's ledger before it (each level's ledger starts at zero and replays to its
 * quantity), and how many ledger rows fall in the range. One statement; items never stocked
 * anywhere come back with zeros.
 */
export async function summarizeBook(db: DispensersDb, scope: BookScope): Promise<BookItemSummary[]> {
  const rows = await db
    .select({
      itemId: catalogItems.id,
      opening: sql<number>`coalesce(sum(${stockMovements.delta}) filter (where ${stockMovements.at} < ${scope.from}), 0)::int`,
      entries: sql<number>`count(${stockMovements.id}) filter (where ${stockMovements.at} >= ${scope.from})::int`,
    })
    .from(catalogItems)
    .leftJoin(stockLevels, eq(stockLevels.itemId, catalogItems.id))
    .leftJoin(stockMovements, and(eq(stockMovements.stockLevelId, stockLevels.id), lt(stockMovements.at, scope.to)))
    .where(itemsOf(scope))
    .groupBy(catalogItems.id);
  return rows.map((row) => ({ itemId: row.itemId, opening: Number(row.opening), entries: Number(row.entries) }));
}

/** The ledger rows of the book in [from, to), by item, then in the order they were written. */
export function readBookEntries(db: DispensersDb, scope: BookScope, limit: number): Promise<BookEntryRow[]> {
  return db
    .select({
      id: stockMovements.id,
      seq: stockMovements.seq,
      at: stockMovements.at,
      itemId: stockLevels.itemId,
      dispenserId: stockLevels.dispenserId,
      reason: stockMovements.reason,
      note: stockMovements.note,
      delta: stockMovements.delta,
      lotNumber: stockMovements.lotNumber,
      actorId: stockMovements.actorId,
      witnessId: stockMovements.witnessId,
      sourceEventId: stockMovements.sourceEventId,
    })
    .from(stockMovements)
    .innerJoin(stockLevels, eq(stockLevels.id, stockMovements.stockLevelId))
    .innerJoin(catalogItems, eq(catalogItems.id, stockLevels.itemId))
    .where(and(itemsOf(scope), gte(stockMovements.at, scope.from), lt(stockMovements.at, scope.to)))
    .orderBy(asc(stockLevels.itemId), asc(stockMovements.at), asc(stockMovements.seq))
    .limit(limit);
}
