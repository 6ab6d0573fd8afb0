import { and, asc, eq, inArray } from "drizzle-orm";
import { catalogItems, stockLevels, stockMovements } from "@asky/db/schema/dispensers";
import type { Logger } from "@asky/common";
import { requestStatusChanged, type RequestEventData } from "@asky/contracts";
import type { DispensersTx } from "../data/db.js";
import { findDispenser } from "../data/dispenser-writes.js";
import { ensureStockLevel, lockStockLevel, updateStockLevel } from "../data/stock-levels.js";
import { recordMovements } from "../data/stock-movements.js";
import { initialLevels, isLow } from "../domain/stock-rules.js";
import { raiseStockLow } from "./stock-low.js";

export const REQUEST_STATUS_CHANGED_SUBJECT = requestStatusChanged.subject;

/** What this service needs from a delivered RESTOCK. */
export type DeliveredRestock = Pick<RequestEventData, "requestId" | "number" | "dispenserId" | "actorId" | "items">;

/**
 * Reads asky.requests.status_changed through its contract (throwing on a malformed event);
 * null for every change that is not a RESTOCK reaching DELIVERED.
 */
export function parseDeliveredRestock(raw: unknown): DeliveredRestock | null {
  const data = requestStatusChanged.parseData(raw);
  return data.kind === "RESTOCK" && data.status === "DELIVERED" ? data : null;
}

/**
 * Adds a delivered RESTOCK to the cabinet's stock, exactly once per request and item: the
 * ledger's unique `source_event_id` is `restock:<request>:<item>`, so a redelivered event, or
 * a second event claiming the same delivery, adds nothing. The delivered units carry no lot
 * (the request has none); they count as available until a count assigns them. Afterwards
 * every level of the cabinet still under its minimum raises stock_low again: the restock
 * loop ignores items while a restock is under way, so what this one did not cover must be
 * asked for anew.
 */
export async function applyDeliveredRestock(tx: DispensersTx, restock: DeliveredRestock, logger: Logger): Promise<void> {
  const dispenser = await findDispenser(tx, restock.dispenserId);
  if (!dispenser) {
    logger.error({ requestId: restock.requestId, dispenserId: restock.dispenserId }, "delivered restock for an unknown dispenser; nothing applied");
    return;
  }
  // One lock order for every writer of these rows: by item id.
  const items = [...restock.items].sort((a, b) => a.itemId.localeCompare(b.itemId));
  const references = items.map((item) => `restock:${restock.requestId}:${item.itemId}`);
  const applied = new Set(
    (await tx.select({ ref: stockMovements.sourceEventId }).from(stockMovements).where(inArray(stockMovements.sourceEventId, references)))
      .map((row) => row.ref),
  );
  for (const [index, item] of items.entries()) {
    const reference = references[index]!;
    if (applied.has(reference)) continue;
    await ensureStockLevel(tx, { dispenserId: dispenser.id, itemId: item.itemId, ...initialLevels(item.quantity, null, null) });
    const level = await lockStockLevel(tx, dispenser.id, item.itemId);
    if (!level) throw new Error(`stock level of ${item.itemId} vanished while locked`);
    const quantity = level.quantity + item.quantity;
    await updateStockLevel(tx, level.id, { quantity, low: isLow(quantity, level.minLevel) });
    await recordMovements(tx, {
      stockLevelId: level.id,
      actorId: restock.actorId,
      reason: "RESTOCK",
      note: `Delivered ${restock.number}`,
      quantityBefore: level.quantity,
      parts: [{ lotNumber: null, delta: item.quantity }],
      sourceEventId: reference,
    });
  }
  const stillLow = await tx
    .select({ level: stockLevels, item: catalogItems })
    .from(stockLevels)
    .innerJoin(catalogItems, eq(catalogItems.id, stockLevels.itemId))
    .where(and(eq(stockLevels.dispenserId, dispenser.id), eq(stockLevels.low, true)))
    .orderBy(asc(stockLevels.itemId));
  for (const { level, item } of stillLow) await raiseStockLow(tx, level, dispenser, item);
}
