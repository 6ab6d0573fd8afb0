import { centsToDecimal, decimalToCents } from "@asky/runtime";
import type { RequestsTx } from "../data/db.js";
import { lockRestocksOf } from "../data/open-restock.js";
import { insertHistory, insertItems, insertRequestOnce, type NewItem } from "../data/request-writes.js";
import type { RequestItemRow, RequestRow } from "../data/requests.js";
import { recordRequestEvent } from "../outbox/request-events.js";

/**
 * What a dispatch still owes: for each BACKORDERED line, what was asked and did not go out, at
 * the line's frozen unit cost, control flag and therapeutic class (no call to the catalog inside
 * the dispatch's transaction).
 */
export function backorderItems(lines: readonly RequestItemRow[]): NewItem[] {
  return lines.flatMap((line) => {
    if (line.status !== "BACKORDERED") return [];
    const remainder = line.quantity - (line.quantityDispatched ?? 0);
    if (remainder <= 0) return [];
    const { itemId, itemKind, unitCost, controlled, controlList, therapeuticClass } = line;
    return [{ itemId, itemKind, quantity: remainder, unitCost, controlled, controlList, therapeuticClass }];
  });
}

/**
 * Opens, in the dispatch's transaction, the one PENDING request for what the dispatched one
 * owes: same kind, cabinet, ward, priority and requester, pointing back at it (backorder_of,
 * unique: the version compare-and-set already lets one dispatch through, and the constraint
 * would refuse a second backorder all the same). Announced like any creation: a history entry
 * by whoever dispatched, and the created event. Null when nothing is owed.
 *
 * A RESTOCK's backorder is opened under the cabinet's restock lock while the dispatched restock
 * is still in transit: for that while the cabinet has two restocks open, the one on its way and
 * the PENDING one that the restock loop grows from then on (findOpenRestock prefers it). That
 * keeps the rule's purpose, one list for the pharmacy to fill per cabinet.
 */
export async function openBackorder(
  tx: RequestsTx,
  request: RequestRow,
  lines: readonly RequestItemRow[],
  actorId: string,
): Promise<RequestRow | null> {
  const items = backorderItems(lines);
  if (items.length === 0) return null;
  if (request.kind === "RESTOCK") await lockRestocksOf(tx, request.dispenserId);
  const totalCents = items.reduce((sum, item) => sum + decimalToCents(item.unitCost) * item.quantity, 0);
  const row = await insertRequestOnce(
    tx,
    {
      kind: request.kind,
      priority: request.priority,
      requesterId: request.requesterId,
      dispenserId: request.dispenserId,
      ward: request.ward,
      note: `Pendência de ${request.number}: itens que não saíram na dispensação.`,
      totalCost: centsToDecimal(totalCents, "items"),
      backorderOf: request.id,
    },
    null,
  );
  if (!row) throw new Error("backorder insert returned nothing");
  const itemRows = await insertItems(tx, row.id, items);
  await insertHistory(tx, { requestId: row.id, fromStatus: null, toStatus: "PENDING", actorId });
  await recordRequestEvent(tx, { request: row, items: itemRows, previousStatus: null, actorId });
  return row;
}
