import { appendEvent } from "@asky/events";
import {
  requestCreated,
  requestLinesChanged,
  requestStatusChanged,
  type RequestEventData,
  type RequestEventItem,
  type RequestStatus,
} from "@asky/contracts";
import { outbox } from "@asky/db/schema/requests";
import type { RequestsTx } from "../data/db.js";
import { lotsOf, type RequestItemLotRow } from "../data/request-lines.js";
import type { RequestItemRow, RequestRow } from "../data/requests.js";
import { lotsOfUnits } from "../domain/received-lots.js";

export interface RequestChange {
  readonly request: RequestRow;
  readonly items: readonly RequestItemRow[];
  readonly previousStatus: RequestStatus | null;
  readonly actorId: string;
}

/**
 * Each line with what goes out of it: the received quantity once the ward counted it, the
 * picked quantity once a pick is recorded, the quantity asked for before (requests went out
 * whole until line-level picking). A line picked or received at 0, or substituted, sends
 * nothing; its substitute is a line of its own. Each carries the lots of those units, so a
 * delivered RESTOCK adds to the cabinet what arrived, in its lots, not what was asked for.
 */
function outgoing(items: readonly RequestItemRow[], lots: readonly RequestItemLotRow[]): RequestEventItem[] {
  return items.flatMap((item) => {
    const quantity = item.quantityReceived ?? item.quantityDispatched ?? item.quantity;
    if (quantity === 0) return [];
    const dispatched = lots.filter((lot) => lot.requestItemId === item.id);
    return [
      {
        itemId: item.itemId,
        itemKind: item.itemKind,
        quantity,
        quantityReceived: item.quantityReceived,
        lots: lotsOfUnits(dispatched, quantity),
      },
    ];
  });
}

/**
 * Every line as it stands, for read models that count what was asked for against what went
 * out: unlike `items`, lines picked or received at 0 and substituted lines are kept, and a
 * substitute is marked as one (another line points at it).
 */
function linesOf(items: readonly RequestItemRow[]): NonNullable<RequestEventData["lines"]> {
  const substitutes = new Set(items.map((item) => item.substitutedById).filter((id) => id !== null));
  return items.map((item) => ({
    itemId: item.itemId,
    itemKind: item.itemKind,
    quantityRequested: item.quantity,
    quantityDispatched: item.quantityDispatched,
    quantityReceived: item.quantityReceived,
    unitCost: Number(item.unitCost),
    substitute: substitutes.has(item.id),
    therapeuticClass: item.therapeuticClass,
  }));
}

/** Lines have lots only once picked: a request never picked (every creation) costs no statement. */
function dispatchedLots(tx: RequestsTx, items: readonly RequestItemRow[]): Promise<RequestItemLotRow[]> {
  const picked = items.filter((item) => item.quantityDispatched !== null).map((item) => item.id);
  return lotsOf(tx, picked);
}

type RequestEventContract = typeof requestCreated | typeof requestStatusChanged | typeof requestLinesChanged;

/** Builds the event of `contract` for the request as it stands and appends it to the outbox. */
async function appendRequestEvent(tx: RequestsTx, contract: RequestEventContract, change: RequestChange) {
  const { request, items, previousStatus, actorId } = change;
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
      items: outgoing(items, await dispatchedLots(tx, items)),
      lines: linesOf(items),
    },
    { occurredAt: request.updatedAt },
  );
  await appendEvent(tx, outbox, envelope);
  return envelope.id;
}

/**
 * Writes asky.requests.created (no previous status) or asky.requests.status_changed to the
 * outbox, in the transaction of the change it describes; returns the event id. `occurredAt`
 * is the request's updatedAt, the database clock of that transaction.
 */
export function recordRequestEvent(tx: RequestsTx, change: RequestChange): Promise<string> {
  const contract = change.previousStatus === null ? requestCreated : requestStatusChanged;
  return appendRequestEvent(tx, contract, change);
}

/**
 * Writes asky.requests.lines_changed: the request's lines changed and its version with them,
 * its status did not (a PENDING restock grown by the restock loop). In the transaction of the
 * change, like every request event, so no version bump goes unseen by subscribers.
 */
export function recordLinesChanged(tx: RequestsTx, change: Omit<RequestChange, "previousStatus">): Promise<string> {
  return appendRequestEvent(tx, requestLinesChanged, { ...change, previousStatus: change.request.status });
}
