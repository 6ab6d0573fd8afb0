import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { HOSPITAL_TIME_ZONE } from "@asky/runtime";
import {
  catalogItems,
  controlledBookClosureBalances,
  controlledBookClosures,
  stockLevels,
  stockMovements,
  type ControlList,
} from "@asky/db/schema/dispensers";
import type { DispensersDb, DispensersTx } from "./db.js";

export type BookClosureRow = typeof controlledBookClosures.$inferSelect;
export type ClosureBalanceRow = typeof controlledBookClosureBalances.$inferSelect;

/**
 * Closing a month and writing a controlled item's ledger exclude each other per list: this
 * takes the list's advisory lock exclusive, the ledger trigger (migration 0004) takes it shared,
 * so the balances below see every movement that committed, and any later one is refused.
 */
export async function lockBookOf(tx: DispensersTx, list: ControlList): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`asky.controlled_book.${list}`}))`);
}

/**
 * Stores the closure of a month; its bounds are the month's midnights in the hospital's time
 * zone (computed by Postgres, which knows the zone's history). Null when it was closed already.
 */
export async function insertClosure(
  tx: DispensersTx,
  closure: { list: ControlList; month: string; closedBy: string },
): Promise<BookClosureRow | null> {
  const firstDay = `${closure.month}-01`;
  const [row] = await tx
    .insert(controlledBookClosures)
    .values({
      controlList: closure.list,
      month: closure.month,
      startsAt: sql`(${firstDay}::date)::timestamp at time zone ${HOSPITAL_TIME_ZONE}`,
      endsAt: sql`((${firstDay}::date) + interval '1 month')::timestamp at time zone ${HOSPITAL_TIME_ZONE}`,
      closedBy: closure.closedBy,
    })
    .onConflictDoNothing({ target: [controlledBookClosures.controlList, controlledBookClosures.month] })
    .returning();
  return row ?? null;
}

/**
 * Every item of the list with ledger rows before `until`, and its hospital-wide balance then:
 * what the closure keeps, in one statement.
 */
export async function writeClosureBalances(tx: DispensersTx, closure: BookClosureRow): Promise<void> {
  const balances = await tx
    .select({ itemId: catalogItems.id, balance: sql<number>`sum(${stockMovements.delta})::int` })
    .from(catalogItems)
    .innerJoin(stockLevels, eq(stockLevels.itemId, catalogItems.id))
    .innerJoin(stockMovements, eq(stockMovements.stockLevelId, stockLevels.id))
    .where(and(eq(catalogItems.controlList, closure.controlList), lt(stockMovements.at, closure.endsAt)))
    .groupBy(catalogItems.id);
  if (balances.length === 0) return;
  await tx
    .insert(controlledBookClosureBalances)
    .values(balances.map((row) => ({ closureId: closure.id, itemId: row.itemId, balance: Number(row.balance) })));
}

/** The closed months of a list overlapping [from, to), oldest first. */
export function closuresOverlapping(
  db: DispensersDb,
  list: ControlList,
  range: { from: Date; to: Date },
): Promise<BookClosureRow[]> {
  return db
    .select()
    .from(controlledBookClosures)
    .where(
      and(
        eq(controlledBookClosures.controlList, list),
        lt(controlledBookClosures.startsAt, range.to),
        gt(controlledBookClosures.endsAt, range.from),
      ),
    )
    .orderBy(asc(controlledBookClosures.startsAt))
    .limit(13);
}

/** The balances of these closures, in one statement. */
export function balancesOf(db: DispensersDb, closureIds: readonly string[]): Promise<ClosureBalanceRow[]> {
  if (closureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(controlledBookClosureBalances)
    .where(inArray(controlledBookClosureBalances.closureId, [...closureIds]));
}

/** Which of these items are in a closed month of their list at `at` (a delivery landing now). */
export async function itemsInClosedPeriod(
  tx: DispensersTx,
  itemIds: readonly string[],
  at: Date,
): Promise<Map<string, { list: ControlList; month: string }>> {
  if (itemIds.length === 0) return new Map();
  const rows = await tx
    .select({ itemId: catalogItems.id, list: controlledBookClosures.controlList, month: controlledBookClosures.month })
    .from(catalogItems)
    .innerJoin(controlledBookClosures, eq(controlledBookClosures.controlList, catalogItems.controlList))
    .where(
      and(
        inArray(catalogItems.id, [...itemIds]),
        sql`${controlledBookClosures.startsAt} <= ${at}`,
        gt(controlledBookClosures.endsAt, at),
      ),
    );
  return new Map(rows.map((row) => [row.itemId, { list: row.list, month: row.month }]));
}
