import { appendEvent, createEnvelope, eventSubjects, type EventEnvelope } from "@asky/common";
import { outbox } from "@asky/db/schema/dispensers";
import type { DispensersTx } from "../data/db.js";
import type { DispenserRow } from "../data/dispensers.js";
import type { StockLevelRow } from "../data/stock-levels.js";

export const STOCK_LOW_SUBJECT = eventSubjects.stockLow;

/** `data` of asky.dispensers.stock_low (version 1): what a RESTOCK request needs. */
export interface StockLowData {
  eventId: string;
  stockLevelId: string;
  dispenserId: string;
  dispenserCode: string;
  ward: string;
  itemId: string;
  quantity: number;
  minLevel: number;
  parLevel: number;
  /** parLevel - quantity: what brings the cabinet back to par. */
  suggestedRestockQuantity: number;
  at: string;
}

export function stockLowEvent(level: StockLevelRow, dispenser: DispenserRow, at = new Date()): EventEnvelope<StockLowData> {
  const envelope = createEnvelope(STOCK_LOW_SUBJECT, null, { occurredAt: at });
  return {
    ...envelope,
    data: {
      eventId: envelope.id,
      stockLevelId: level.id,
      dispenserId: dispenser.id,
      dispenserCode: dispenser.code,
      ward: dispenser.ward,
      itemId: level.itemId,
      quantity: level.quantity,
      minLevel: level.minLevel,
      parLevel: level.parLevel,
      suggestedRestockQuantity: Math.max(0, level.parLevel - level.quantity),
      at: envelope.occurredAt,
    },
  };
}

/**
 * Raised only when `low` flips false → true, in the transaction that flips it: one event per
 * crossing, however many adjustments follow while the level stays low.
 */
export async function raiseStockLow(tx: DispensersTx, level: StockLevelRow, dispenser: DispenserRow): Promise<void> {
  await appendEvent(tx, outbox, stockLowEvent(level, dispenser));
}
