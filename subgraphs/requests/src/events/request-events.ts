import { appendEvent, createEnvelope, eventSubjects } from "@asky/common";
import { outbox, type RequestKind, type RequestPriority, type RequestStatus } from "@asky/db/schema/requests";
import type { RequestsTx } from "../data/db.js";
import type { RequestItemRow, RequestRow } from "../data/requests.js";

export const REQUEST_CREATED_SUBJECT = eventSubjects.requestCreated;
export const REQUEST_STATUS_CHANGED_SUBJECT = eventSubjects.requestStatusChanged;

/**
 * `data` of asky.requests.created and asky.requests.status_changed (envelope version 1).
 * Carries what a subscriber needs to route and act on it without calling back: the ward and
 * cabinet for subscriptions scoped to them, the version to order and dedupe per request, and
 * the items so that a delivered RESTOCK can be added to the cabinet's stock.
 */
export interface RequestEventData {
  eventId: string;
  requestId: string;
  number: string;
  kind: RequestKind;
  priority: RequestPriority;
  ward: string;
  dispenserId: string;
  requesterId: string;
  assigneeId: string | null;
  status: RequestStatus;
  /** Null for `created`. */
  previousStatus: RequestStatus | null;
  /** The request's version after this change; per request, events are strictly increasing in it. */
  version: number;
  actorId: string;
  /** When the change committed (the database clock, same as the request's updatedAt). */
  at: string;
  /** REJECTED / CANCELLED only. */
  reasonCode: string | null;
  reason: string | null;
  /** Every line, quantity in the catalog item's dispensing unit; empty for ASSISTANCE. */
  items: { itemId: string; itemKind: string; quantity: number }[];
}

export interface RequestChange {
  readonly request: RequestRow;
  readonly items: readonly RequestItemRow[];
  readonly previousStatus: RequestStatus | null;
  readonly actorId: string;
}

/** Writes the event to the outbox in the transaction of the change it describes. */
export async function recordRequestEvent(tx: RequestsTx, change: RequestChange): Promise<string> {
  const { request, items, previousStatus, actorId } = change;
  const subject = previousStatus === null ? REQUEST_CREATED_SUBJECT : REQUEST_STATUS_CHANGED_SUBJECT;
  const envelope = createEnvelope(subject, null, { occurredAt: request.updatedAt });
  const data: RequestEventData = {
    eventId: envelope.id,
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
    at: envelope.occurredAt,
    reasonCode: request.reasonCode,
    reason: request.reasonText,
    items: items.map((item) => ({ itemId: item.itemId, itemKind: item.itemKind, quantity: item.quantity })),
  };
  await appendEvent(tx, outbox, { ...envelope, data });
  return envelope.id;
}
