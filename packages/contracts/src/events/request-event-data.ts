import { catalogItemKinds, type CatalogItemKind } from "../catalog-item-kinds.js";
import { requestReasonCodes, type RequestReasonCode } from "../reason-codes.js";
import {
  requestKinds,
  requestPriorities,
  requestStatuses,
  type RequestKind,
  type RequestPriority,
  type RequestStatus,
} from "../request-enums.js";
import { fieldsOf, listOf, nullable, oneOf, positiveCount, string, text, uuid } from "./fields.js";

export interface RequestEventItem {
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  /** In the catalog item's dispensing unit. */
  readonly quantity: number;
}

/**
 * `data` of asky.requests.created and asky.requests.status_changed. Carries what a subscriber
 * needs to route and act on it without calling back: the ward and cabinet for subscriptions
 * scoped to them, the version to order and dedupe per request, and the items so that a
 * delivered RESTOCK can be added to the cabinet's stock.
 */
export interface RequestEventData {
  readonly requestId: string;
  /** Human number, `REQ-000123`. */
  readonly number: string;
  readonly kind: RequestKind;
  readonly priority: RequestPriority;
  readonly ward: string;
  readonly dispenserId: string;
  readonly requesterId: string;
  readonly assigneeId: string | null;
  readonly status: RequestStatus;
  /** Null for `created`. */
  readonly previousStatus: RequestStatus | null;
  /** The request's version after this change; per request, events are strictly increasing in it. */
  readonly version: number;
  readonly actorId: string;
  /** REJECTED / CANCELLED only. */
  readonly reasonCode: RequestReasonCode | null;
  readonly reason: string | null;
  /**
   * Every line that goes out, with the units that go out: the picked quantity once the
   * pharmacy recorded a pick (a line picked at 0 or substituted is left out; a substitute is
   * a line of its own), the quantity asked for before. Empty for ASSISTANCE.
   */
  readonly items: readonly RequestEventItem[];
}

function parseItem(raw: unknown, path: string): RequestEventItem {
  const field = fieldsOf(raw, path);
  return {
    itemId: field("itemId", uuid),
    itemKind: field("itemKind", oneOf(catalogItemKinds)),
    quantity: field("quantity", positiveCount),
  };
}

/** Checks the data of a request lifecycle event; `event` names it in errors (`requests.created`). */
export function requestEventDataParser(event: string): (raw: unknown) => RequestEventData {
  return (raw) => {
    const field = fieldsOf(raw, event);
    const status = oneOf(requestStatuses);
    return {
      requestId: field("requestId", uuid),
      number: field("number", text),
      kind: field("kind", oneOf(requestKinds)),
      priority: field("priority", oneOf(requestPriorities)),
      ward: field("ward", text),
      dispenserId: field("dispenserId", uuid),
      requesterId: field("requesterId", uuid),
      assigneeId: field("assigneeId", nullable(uuid)),
      status: field("status", status),
      previousStatus: field("previousStatus", nullable(status)),
      version: field("version", positiveCount),
      actorId: field("actorId", uuid),
      reasonCode: field("reasonCode", nullable(oneOf(requestReasonCodes))),
      reason: field("reason", nullable(string)),
      items: field("items", listOf(parseItem)),
    };
  };
}
