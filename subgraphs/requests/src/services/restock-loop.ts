import { centsOf, centsToDecimal, decimalToCents, type Logger } from "@asky/runtime";
import { SYSTEM_USER_ID, type EventEnvelope, type StockLowData } from "@asky/contracts";
import type { RequestsTx } from "../data/db.js";
import { findOpenRestock, growRestock, lockRestocksOf, type RestockLine } from "../data/open-restock.js";
import { insertHistory, insertItems, insertRequestOnce, itemsOf } from "../data/request-writes.js";
import { recordLinesChanged, recordRequestEvent } from "../outbox/request-events.js";
import { MAX_QUANTITY } from "../validation/create-request-input.js";

const AUTOMATIC_NOTE = "Reposição aberta automaticamente: itens abaixo do estoque mínimo do dispensário.";

/**
 * The restock line for the low item: enough to bring it back to par, at the price and of the
 * therapeutic class the event carries (the catalog's when the level crossed its minimum; no
 * call back to the catalog).
 */
function lineFor(data: StockLowData): RestockLine {
  const quantity = Math.min(MAX_QUANTITY, Math.max(1, data.suggestedRestockQuantity));
  const unitCost = centsToDecimal(centsOf(data.unitCost), "items");
  // stock_low does not carry the control list: a medication's stays unknown until a decision asks the catalog.
  const controlled = data.itemKind === "MATERIAL" ? false : null;
  // Frozen like the price, so consumption per class counts the restock under the class the
  // medication had when the level crossed; unknown (null) from a producer that did not send it.
  const therapeuticClass = data.itemKind === "MEDICATION" ? (data.therapeuticClass ?? null) : null;
  return { itemId: data.itemId, itemKind: data.itemKind, quantity, unitCost, controlled, therapeuticClass };
}

/**
 * The requests side of the restock loop: one stock_low event → the cabinet has one RESTOCK
 * request in progress. No open restock: open one (as the system user). A PENDING one: add the
 * item to it (the pharmacy has not started, so the list can still grow). One already
 * accepted or further along: leave it; the pharmacy is filling a list it has already checked,
 * and the dispensers side re-raises stock_low for levels still low once that restock is
 * delivered, so the item is asked for then.
 *
 * Runs inside the consumer's transaction, which also records the event as processed:
 * a redelivered event changes nothing.
 */
export function restockHandler(logger: Logger) {
  const log = logger.child({ component: "restock-loop" });
  return async (event: EventEnvelope<StockLowData>, tx: RequestsTx): Promise<void> => {
    const data = event.data;
    const line = lineFor(data);
    await lockRestocksOf(tx, data.dispenserId);
    const open = await findOpenRestock(tx, data.dispenserId);
    if (open) {
      if (open.status === "PENDING") {
        const grown = await growRestock(tx, open.id, line);
        // Every version bump is an event: boards and read models see the new quantities now,
        // not at the next status change.
        if (grown) {
          const items = await itemsOf(tx, grown.id);
          await recordLinesChanged(tx, { request: grown, items, actorId: SYSTEM_USER_ID });
        }
        log.info({ eventId: event.id, requestId: open.id, itemId: line.itemId }, "item added to the pending restock");
      } else {
        log.info(
          { eventId: event.id, requestId: open.id, status: open.status },
          "restock already in progress; item left for the next one",
        );
      }
      return;
    }
    const row = await insertRequestOnce(
      tx,
      {
        kind: "RESTOCK",
        // An empty slot cannot serve the next patient: that one jumps the queue.
        priority: data.quantity === 0 ? "URGENT" : "ROUTINE",
        requesterId: SYSTEM_USER_ID,
        dispenserId: data.dispenserId,
        ward: data.ward,
        note: AUTOMATIC_NOTE,
        totalCost: centsToDecimal(decimalToCents(line.unitCost) * line.quantity, "items"),
        sourceEventId: event.id,
      },
      "sourceEventId",
    );
    if (!row) return;
    const items = await insertItems(tx, row.id, [line]);
    await insertHistory(tx, { requestId: row.id, fromStatus: null, toStatus: "PENDING", actorId: SYSTEM_USER_ID });
    await recordRequestEvent(tx, { request: row, items, previousStatus: null, actorId: SYSTEM_USER_ID });
    log.info({ eventId: event.id, requestId: row.id, number: row.number }, "restock opened");
  };
}
