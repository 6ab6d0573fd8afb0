import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { HOSPITAL_TIME_ZONE } from "@asky/runtime";
import {
  catalogItems,
  controlledBookClosureBalances,
  controlledBookClosures,
  type ControlList,
} from "@asky/db/schema/dispensers";
import { summarizeBook } from "./controlled-book.js";
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
 * Each item's hospital-wide balance at the end of the closed month, for every item of the list
 * that held units at its start, moved in it or holds units at its end: what the closure keeps
 * (the balance the next month opens with). From the previous closure's balances and the ledger
 * since, never from the closure being written.
 */
export async function writeClosureBalances(tx: DispensersTx, closure: BookClosureRow): Promise<void> {
  const scope = { list: closure.controlList, itemId: null, from: closure.startsAt, to: closure.endsAt };
  const balances = (await summarizeBook(tx, scope, closure.startsAt))
    .map((row) => ({ ...row, balance: row.opening + row.moved }))
    .filter((row) => row.opening !== 0 || row.entries > 0 || row.balance !== 0);
  if (balances.length === 0) return;
  await tx
    .insert(controlledBookClosureBalances)
    .values(balances.map((row) => ({ closureId: closure.id, itemId: row.itemId, balance: row.balance })));
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

/**
 * Which of these items the ledger would refuse at `at` (a delivery landing now): those whose
 * list has a closed month ending after it, as the trigger of migration 0004 judges.
 */
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
    .where(and(inArray(catalogItems.id, [...itemIds]), gt(controlledBookClosures.endsAt, at)));
  return new Map(rows.map((row) => [row.itemId, { list: row.list, month: row.month }]));
}
