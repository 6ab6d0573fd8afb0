import { appendEvent } from "@asky/events";
import { requestCreated, requestStatusChanged, type RequestStatus } from "@asky/contracts";
import { outbox } from "@asky/db/schema/requests";
import type { RequestsTx } from "../data/db.js";
import type { RequestItemRow, RequestRow } from "../data/requests.js";

export interface RequestChange {
  readonly request: RequestRow;
  readonly items: readonly RequestItemRow[];
  readonly previousStatus: RequestStatus | null;
  readonly actorId: string;
}

/**
 * Each line with what goes out of it: the picked quantity once a pick is recorded, the
 * quantity asked for before (requests went out whole until line-level picking). A line
 * picked at 0, or substituted, sends nothing; its substitute is a line of its own. A
 * delivered RESTOCK then adds to the cabinet what was sent, not what was asked for.
 */
function outgoing(items: readonly RequestItemRow[]) {
  return items.flatMap((item) => {
    const quantity = item.quantityDispatched ?? item.quantity;
    return quantity > 0 ? [{ itemId: item.itemId, itemKind: item.itemKind, quantity }] : [];
  });
}

/**
 * Writes asky.requests.created (no previous status) or asky.requests.status_changed to the
 * outbox, in the transaction of the change it describes; returns the event id. `occurredAt`
 * is the request's updatedAt, the database clock of that transaction.
 */
export async function recordRequestEvent(tx: RequestsTx, change: RequestChange): Promise<string> {
  const { request, items, previousStatus, actorId } = change;
  const contract = previousStatus === null ? requestCreated : requestStatusChanged;
  const envelope = contract.build(
    {
      requestId: request.id,
      number: request.number,
      kind: request.kind,
      priority: request.priority,
      ward: request.ward,
      dispenserId: request.dispenserId,
      requesterId: request.requesterId,
      assigneeId: request.assigneeId,
      status: request.status,
      previousStatus,
      version: request.version,
      actorId,
      reasonCode: request.reasonCode,
      reason: request.reasonText,
      items: outgoing(items),
    },
    { occurredAt: request.updatedAt },
  );
  await appendEvent(tx, outbox, envelope);
  return envelope.id;
}
