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
import { InvalidEventError } from "./envelope.js";
import {
  amount,
  count,
  fieldsOf,
  listOf,
  nullable,
  oneOf,
  positiveCount,
  string,
  text,
  uuid,
  type Reader,
} from "./fields.js";
import { parseLot } from "./lot-fields.js";
import type { PickedLot } from "./pick-recorded.js";

export interface RequestEventItem {
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  /**
   * The units that go out (or, once received, that arrived), in the catalog item's
   * dispensing unit: received, else dispatched, else requested.
   */
  readonly quantity: number;
  /**
   * What the ward counted on receipt; null until then. Optional on the wire: producers
   * before line-level receipt did not write it, and the parser reads it absent as null.
   */
  readonly quantityReceived?: number | null;
  /**
   * The lots those `quantity` units are in, first-expiring first, adding up to at most
   * `quantity`: units beyond them have no known lot (a material picked without lots, more
   * counted on receipt than was dispatched). Empty before a pick and for lines picked
   * without lots. Optional on the wire for the same reason; the parser reads absent as [].
   */
  readonly lots?: readonly PickedLot[];
}

/**
 * One line of a request as the requests service holds it, every line included (those picked
 * or received at 0, those substituted), so that a read model can tell what was asked for from
 * what went out and arrived.
 */
export interface RequestEventLine {
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  /** What the ward asked for (for a substitute line: what was picked of the substitute). */
  readonly quantityRequested: number;
  /** Null until picked. */
  readonly quantityDispatched: number | null;
  /** Null until the ward counted it on receipt. */
  readonly quantityReceived: number | null;
  /** BRL per unit, frozen when the line was made. */
  readonly unitCost: number;
  /** A line the pharmacy added in place of another, not one the ward asked for. */
  readonly substitute: boolean;
  /**
   * The medication's therapeutic class in the catalog when the line was made, frozen like the
   * unit cost; null for materials and where it is unknown (no class in the catalog, lines made
   * before it was kept, restock lines opened from a stock_low without it). Optional on the wire: producers
   * before it did not write it, and the parser reads it absent as null.
   */
  readonly therapeuticClass?: string | null;
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
   * Every line that goes out, with the units that go out: the quantity received once the
   * ward confirmed receipt, the picked quantity once the pharmacy recorded a pick (a line
   * picked or received at 0, or substituted, is left out; a substitute is a line of its own),
   * the quantity asked for before; each with the lots of those units. Empty for ASSISTANCE.
   */
  readonly items: readonly RequestEventItem[];
  /**
   * Every line of the request, whatever goes out of it. Optional on the wire: producers
   * before it did not write it, and the parser reads it absent as null.
   */
  readonly lines?: readonly RequestEventLine[] | null;
}

/** Absent (an older producer) is no lots; anything else must be a list of well-formed lots. */
const lotList: Reader<PickedLot[]> = (value, path) => (value === undefined ? [] : listOf(parseLot)(value, path));

/**
 * A consumer adds each lot to a cabinet as its own stock row, so a lot named twice, or lots
 * adding up to more than the units of the line, would be double counted: refused here.
 */
function checkLots(lots: readonly PickedLot[], quantity: number, path: string): void {
  const seen = new Set<string>();
  for (const [index, lot] of lots.entries()) {
    if (seen.has(lot.lotNumber)) {
      throw new InvalidEventError(`${path}.lots[${index}].lotNumber repeats lot ${lot.lotNumber}`);
    }
    seen.add(lot.lotNumber);
  }
  const total = lots.reduce((sum, lot) => sum + lot.quantity, 0);
  if (total > quantity) {
    throw new InvalidEventError(`${path}.lots add up to ${total}, more than the line's quantity ${quantity}`);
  }
}

function parseItem(raw: unknown, path: string): RequestEventItem {
  const field = fieldsOf(raw, path);
  const item = {
    itemId: field("itemId", uuid),
    itemKind: field("itemKind", oneOf(catalogItemKinds)),
    quantity: field("quantity", positiveCount),
    quantityReceived: field("quantityReceived", nullable(count)),
    lots: field("lots", lotList),
  };
  checkLots(item.lots, item.quantity, path);
  return item;
}

const flag: Reader<boolean> = (value, path) => {
  if (typeof value !== "boolean") throw new InvalidEventError(`${path} must be true or false`);
  return value;
};

function parseLine(raw: unknown, path: string): RequestEventLine {
  const field = fieldsOf(raw, path);
  return {
    itemId: field("itemId", uuid),
    itemKind: field("itemKind", oneOf(catalogItemKinds)),
    quantityRequested: field("quantityRequested", positiveCount),
    quantityDispatched: field("quantityDispatched", nullable(count)),
    quantityReceived: field("quantityReceived", nullable(count)),
    unitCost: field("unitCost", amount),
    substitute: field("substitute", flag),
    therapeuticClass: field("therapeuticClass", nullable(text)),
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
      lines: field("lines", nullable(listOf(parseLine))),
    };
  };
}
