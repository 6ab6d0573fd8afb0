import { assertNever, hospitalToday, type Logger } from "@asky/runtime";
import type { RequestEventData } from "@asky/contracts";
import type { DispensersTx } from "../data/db.js";
import { findDispenser } from "../data/dispenser-writes.js";
import { ensureStockLevel, lockStockLevel, lowLevelsOf, updateStockLevel } from "../data/stock-levels.js";
import { addToLots, lockLots } from "../data/stock-lots.js";
import { appliedSourceEvents, lotExpiriesOf, movedItems, recordMovements } from "../data/stock-movements.js";
import { planDeliveredLots, type DeliveryNotice } from "../domain/delivered-lots.js";
import { initialLevels, isLow } from "../domain/stock-rules.js";
import { raiseStockLow } from "../outbox/stock-low.js";

/** What this service needs from a delivered RESTOCK (asky.requests.status_changed). */
export type DeliveredRestock = Pick<RequestEventData, "requestId" | "number" | "dispenserId" | "actorId" | "items">;

/**
 * Adds a delivered RESTOCK to the cabinet's stock, exactly once per request and item: the
 * ledger's unique `source_event_id` is `restock:<request>:<item>`, so a redelivered event, or
 * a second event claiming the same delivery, adds nothing. The units arrive in the lots the
 * event names (what the ward received, in the lots they were dispatched in), so the
 * dispensing plan hands them out first-expiring first and expiringLots sees them; units of
 * no known lot (materials picked without lots, events of producers that sent no lots) count
 * as available until a count assigns them. Afterwards every level of the cabinet still under
 * its minimum raises stock_low again: the restock loop ignores items while a restock is
 * under way, so what this one did not cover must be asked for anew.
 */
export async function applyDeliveredRestock(
  tx: DispensersTx,
  restock: DeliveredRestock,
  logger: Logger,
): Promise<void> {
  const dispenser = await findDispenser(tx, restock.dispenserId);
  if (!dispenser) {
    logger.error(
      { requestId: restock.requestId, dispenserId: restock.dispenserId },
      "delivered restock for an unknown dispenser; nothing applied",
    );
    return;
  }
  const today = hospitalToday();
  // One lock order for every writer of these rows: by item id.
  const items = [...restock.items].sort((a, b) => a.itemId.localeCompare(b.itemId));
  const references = items.map((item) => `restock:${restock.requestId}:${item.itemId}`);
  const applied = await appliedSourceEvents(tx, references);
  const catalog = await movedItems(
    tx,
    items.filter((_item, index) => !applied.has(references[index]!)).map((item) => item.itemId),
  );
  for (const [index, item] of items.entries()) {
    const reference = references[index]!;
    if (applied.has(reference)) continue;
    const levels = initialLevels(item.quantity, null, null);
    await ensureStockLevel(tx, { dispenserId: dispenser.id, itemId: item.itemId, ...levels });
    const level = await lockStockLevel(tx, dispenser.id, item.itemId);
    if (!level) throw new Error(`stock level of ${item.itemId} vanished while locked`);
    const lots = await lockLots(tx, level.id);
    const plan = planDeliveredLots(lots, item.lots ?? [], item.quantity, today);
    const priced = catalog.get(item.itemId);
    if (!priced) throw new Error(`delivered restock names item ${item.itemId}, not in the catalog`);
    await addToLots(tx, level.id, plan.additions);
    const quantity = level.quantity + item.quantity;
    await updateStockLevel(tx, level.id, { quantity, low: isLow(quantity, level.minLevel) });
    await recordMovements(tx, {
      stockLevelId: level.id,
      actorId: restock.actorId,
      reason: "RESTOCK",
      note: `Delivered ${restock.number}`,
      quantityBefore: level.quantity,
      parts: plan.movements,
      sourceEventId: reference,
      subject: {
        dispenserId: dispenser.id,
        ward: dispenser.ward,
        itemId: item.itemId,
        itemKind: priced.kind,
        unitCost: priced.unitCost,
        // A lot already there keeps its (earlier) expiry: the cabinet's rows first.
        lotExpiries: lotExpiriesOf(lots, plan.additions),
      },
    });
    for (const notice of plan.notices) {
      logger.warn(
        { requestId: restock.requestId, dispenserId: dispenser.id, itemId: item.itemId, ...notice },
        noticeText(notice),
      );
    }
  }
  const stillLow = await lowLevelsOf(tx, dispenser.id);
  for (const { level, item } of stillLow) await raiseStockLow(tx, level, dispenser, item);
}

function noticeText(notice: DeliveryNotice): string {
  switch (notice.kind) {
    case "expiry_mismatch":
      return "delivered lot has another expiry than the cabinet's lot of that number; the earlier one was kept";
    case "expired_on_arrival":
      return "delivered lot was already expired; added to the cabinet, to be removed as expired";
    case "undated_lot":
      return "delivered lot has no expiry; its units were added without a lot row";
    default:
      return assertNever(notice, "delivery notice");
  }
}
