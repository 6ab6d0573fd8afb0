import { and, eq } from "drizzle-orm";
import { outbox } from "@asky/db/schema/dispensers";
import { isUuid, parseStored, stockLow } from "@asky/contracts";
import type { DispensersDb } from "./db.js";

/** A stock-low alert as the outbox stores it, the durable record of what was published. */
export interface StockLowAlertRow {
  readonly id: string;
  readonly cursor: string;
  readonly at: Date;
  readonly ward: string;
  readonly dispenserId: string;
  readonly stockLevelId: string;
  readonly quantity: number;
  readonly minLevel: number;
  readonly parLevel: number;
  readonly suggestedRestock: number;
}

/** Null for an unknown id. */
export async function loadStockLowAlert(
  db: DispensersDb,
  eventId: string,
  cursor: string | null,
): Promise<StockLowAlertRow | null> {
  if (!isUuid(eventId)) return null;
  const [row] = await db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.id, eventId), eq(outbox.subject, stockLow.subject)));
  const event = row ? parseStored(stockLow, row.payload) : null;
  if (!event) return null;
  const { data } = event;
  return {
    id: event.id,
    cursor: cursor ?? event.id,
    at: new Date(event.occurredAt),
    ward: data.ward,
    dispenserId: data.dispenserId,
    stockLevelId: data.stockLevelId,
    quantity: data.quantity,
    minLevel: data.minLevel,
    parLevel: data.parLevel,
    suggestedRestock: data.suggestedRestockQuantity,
  };
}
