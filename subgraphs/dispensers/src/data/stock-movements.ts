import { inArray } from "drizzle-orm";
import { catalogItems, stockMovements, type StockReason } from "@asky/db/schema/dispensers";
import type { MovementPart } from "../domain/stock-plan.js";
import { raiseStockMoved, type LedgerRow, type MovementSubject } from "../outbox/stock-moved.js";
import { refusingClosedPeriods } from "./closed-period.js";
import type { DispensersTx } from "./db.js";

export interface MovementRecord {
  stockLevelId: string;
  actorId: string | null;
  reason: StockReason;
  note: string | null;
  quantityBefore: number;
  parts: readonly MovementPart[];
  /** The event that caused it (a delivered restock); unique, so it applies once. */
  sourceEventId?: string | null;
  /** The second person who witnessed a loss of a controlled medication; on every part. */
  witnessId?: string | null;
  /** Cabinet, item, price and lot expiries, for the stock_moved event of each row. */
  subject: MovementSubject;
}

/**
 * Appends the ledger: one row per lot touched, each with the running before/after, so the
 * ledger replays to the current quantity and answers "which lot went where". A row of a
 * controlled item falling in a closed month of its list's book is refused by the database
 * (migration 0004's trigger, which guards every writer): CONFLICT, reason PERIOD_CLOSED, and
 * the caller's transaction rolls back whole. Each row is published as asky.dispensers.stock_moved
 * through the outbox in the same transaction; the rows are returned as written.
 */
export async function recordMovements(tx: DispensersTx, record: MovementRecord): Promise<LedgerRow[]> {
  let quantity = record.quantityBefore;
  const at = new Date();
  const rows = record.parts.map((part, index) => {
    const row = {
      stockLevelId: record.stockLevelId,
      at,
      actorId: record.actorId,
      reason: record.reason,
      note: record.note,
      delta: part.delta,
      quantityBefore: quantity,
      quantityAfter: quantity + part.delta,
      lotNumber: part.lotNumber,
      // The unique key allows one row per event; it goes on the first part only.
      sourceEventId: index === 0 ? (record.sourceEventId ?? null) : null,
      witnessId: record.witnessId ?? null,
    };
    quantity += part.delta;
    return row;
  });
  if (rows.length === 0) return [];
  const written = await refusingClosedPeriods(() =>
    tx.insert(stockMovements).values(rows).returning({
      id: stockMovements.id,
      seq: stockMovements.seq,
      stockLevelId: stockMovements.stockLevelId,
      at: stockMovements.at,
      reason: stockMovements.reason,
      delta: stockMovements.delta,
      quantityBefore: stockMovements.quantityBefore,
      quantityAfter: stockMovements.quantityAfter,
      lotNumber: stockMovements.lotNumber,
    }),
  );
  // RETURNING follows the VALUES order in practice, but seq is what orders the ledger.
  written.sort((a, b) => a.seq - b.seq);
  await raiseStockMoved(tx, written, record.subject);
  return written;
}

/** Which of these source events the ledger already holds (each applies once). */
export async function appliedSourceEvents(tx: DispensersTx, sourceEventIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx
    .select({ sourceEventId: stockMovements.sourceEventId })
    .from(stockMovements)
    .where(inArray(stockMovements.sourceEventId, [...sourceEventIds]));
  return new Set(rows.flatMap((row) => (row.sourceEventId === null ? [] : [row.sourceEventId])));
}

/** A lot's number and expiry, as the cabinet's lot rows and a plan's additions both have them. */
interface DatedLot {
  readonly lotNumber: string;
  readonly expiresAt: string;
}

/**
 * Expiry by lot number of the lots a movement may touch: the level's lots as locked before it
 * (a removal may delete the row it empties) and those it adds. An earlier list wins.
 */
export function lotExpiriesOf(...lists: readonly (readonly DatedLot[])[]): Map<string, string> {
  const expiries = new Map<string, string>();
  for (const lot of lists.flat()) if (!expiries.has(lot.lotNumber)) expiries.set(lot.lotNumber, lot.expiresAt);
  return expiries;
}

/** Kind and price of the items a delivery moves, in one statement, for their stock_moved events. */
export async function movedItems(
  tx: DispensersTx,
  itemIds: readonly string[],
): Promise<Map<string, { kind: (typeof catalogItems.$inferSelect)["kind"]; unitCost: string }>> {
  if (itemIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: catalogItems.id, kind: catalogItems.kind, unitCost: catalogItems.unitCost })
    .from(catalogItems)
    .where(inArray(catalogItems.id, [...itemIds]));
  return new Map(rows.map((row) => [row.id, { kind: row.kind, unitCost: row.unitCost }]));
}
