import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import {
  catalogItems,
  controlledBookClosureBalances,
  controlledBookClosures,
  stockLevels,
  stockMovements,
  type ControlList,
} from "@asky/db/schema/dispensers";
import type { DispensersDb, DispensersTx } from "./db.js";

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
  /** What those rows add up to. */
  readonly moved: number;
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
 * The last closed month of the list ending at or before `at`: its balances are the items'
 * balances then, and the ledger before its end is frozen (migration 0004), so a balance after
 * it is that checkpoint plus what moved since, whatever the length of the history before.
 */
async function checkpointBy(db: DispensersDb | DispensersTx, list: ControlList, at: Date) {
  const [row] = await db
    .select({ id: controlledBookClosures.id, endsAt: controlledBookClosures.endsAt })
    .from(controlledBookClosures)
    .where(and(eq(controlledBookClosures.controlList, list), lte(controlledBookClosures.endsAt, at)))
    .orderBy(desc(controlledBookClosures.endsAt))
    .limit(1);
  return row ?? null;
}

/**
 * Per item of the list (its current list): the hospital-wide balance at `from` (the last
 * closure's balance before it plus every cabinet's ledger since; each level's ledger starts at
 * zero and replays to its quantity), and the ledger rows in [from, to) and what they add up
 * to. Two statements; items never stocked anywhere come back with zeros. `checkpointAt` (by
 * default `from`) bounds which closure may serve as the starting balance.
 */
export async function summarizeBook(
  db: DispensersDb | DispensersTx,
  scope: BookScope,
  checkpointAt: Date = scope.from,
): Promise<BookItemSummary[]> {
  const checkpoint = await checkpointBy(db, scope.list, checkpointAt);
  const since = checkpoint ? gte(stockMovements.at, checkpoint.endsAt) : undefined;
  const rows = await db
    .select({
      itemId: catalogItems.id,
      carried: sql<number>`coalesce(${controlledBookClosureBalances.balance}, 0)::int`,
      before: sql<number>`coalesce(sum(${stockMovements.delta}) filter (where ${stockMovements.at} < ${scope.from}), 0)::int`,
      entries: sql<number>`count(${stockMovements.id}) filter (where ${stockMovements.at} >= ${scope.from})::int`,
      moved: sql<number>`coalesce(sum(${stockMovements.delta}) filter (where ${stockMovements.at} >= ${scope.from}), 0)::int`,
    })
    .from(catalogItems)
    .leftJoin(
      controlledBookClosureBalances,
      and(
        eq(controlledBookClosureBalances.itemId, catalogItems.id),
        checkpoint ? eq(controlledBookClosureBalances.closureId, checkpoint.id) : sql`false`,
      ),
    )
    .leftJoin(stockLevels, eq(stockLevels.itemId, catalogItems.id))
    .leftJoin(
      stockMovements,
      and(eq(stockMovements.stockLevelId, stockLevels.id), lt(stockMovements.at, scope.to), since),
    )
    .where(itemsOf(scope))
    .groupBy(catalogItems.id, controlledBookClosureBalances.balance);
  return rows.map((row) => ({
    itemId: row.itemId,
    opening: Number(row.carried) + Number(row.before),
    entries: Number(row.entries),
    moved: Number(row.moved),
  }));
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
