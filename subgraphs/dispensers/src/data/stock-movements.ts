import { inArray } from "drizzle-orm";
import { stockMovements, type StockReason } from "@asky/db/schema/dispensers";
import type { MovementPart } from "../domain/stock-plan.js";
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
}

/**
 * Appends the ledger: one row per lot touched, each with the running before/after, so the
 * ledger replays to the current quantity and answers "which lot went where". A row of a
 * controlled item falling in a closed month of its list's book is refused by the database
 * (migration 0004's trigger, which guards every writer): CONFLICT, reason PERIOD_CLOSED, and
 * the caller's transaction rolls back whole.
 */
export async function recordMovements(tx: DispensersTx, record: MovementRecord): Promise<void> {
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
  if (rows.length > 0) await refusingClosedPeriods(() => tx.insert(stockMovements).values(rows));
}

/** Which of these source events the ledger already holds (each applies once). */
export async function appliedSourceEvents(tx: DispensersTx, sourceEventIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx
    .select({ sourceEventId: stockMovements.sourceEventId })
    .from(stockMovements)
    .where(inArray(stockMovements.sourceEventId, [...sourceEventIds]));
  return new Set(rows.flatMap((row) => (row.sourceEventId === null ? [] : [row.sourceEventId])));
}
