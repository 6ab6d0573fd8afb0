import { catalogItemKinds, type CatalogItemKind } from "../catalog-item-kinds.js";
import { lineReasonCodes, requestLineStatuses, type LineReasonCode, type RequestLineStatus } from "../request-lines.js";
import { defineEvent } from "./event-contract.js";
import { count, fieldsOf, listOf, nullable, oneOf, positiveCount, text, uuid } from "./fields.js";
import { parseLot, type PickedLot } from "./lot-fields.js";

export type { PickedLot } from "./lot-fields.js";

export interface PickedLine {
  /** The request line (request item) id. */
  readonly lineId: string;
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  readonly status: RequestLineStatus;
  readonly quantityRequested: number;
  readonly quantityDispatched: number | null;
  readonly reasonCode: LineReasonCode | null;
  /** The line that replaced this one (status SUBSTITUTED), itself listed in `lines`. */
  readonly substitutedBy: string | null;
  readonly lots: readonly PickedLot[];
}

/**
 * `data` of asky.requests.pick_recorded: the pharmacy recorded what it picked for a request
 * in PREPARING. Lists every line as it stands after the pick, so a consumer needs no earlier
 * event; free-text notes stay in the requests service (they may name a patient).
 */
export interface PickRecordedData {
  readonly requestId: string;
  readonly number: string;
  readonly ward: string;
  readonly dispenserId: string;
  /** The request's version after the pick. */
  readonly version: number;
  readonly actorId: string;
  readonly lines: readonly PickedLine[];
}

function parseLine(raw: unknown, path: string): PickedLine {
  const field = fieldsOf(raw, path);
  return {
    lineId: field("lineId", uuid),
    itemId: field("itemId", uuid),
    itemKind: field("itemKind", oneOf(catalogItemKinds)),
    status: field("status", oneOf(requestLineStatuses)),
    quantityRequested: field("quantityRequested", positiveCount),
    quantityDispatched: field("quantityDispatched", nullable(count)),
    reasonCode: field("reasonCode", nullable(oneOf(lineReasonCodes))),
    substitutedBy: field("substitutedBy", nullable(uuid)),
    lots: field("lots", listOf(parseLot)),
  };
}

export const pickRecorded = defineEvent("asky.requests.pick_recorded", (raw): PickRecordedData => {
  const field = fieldsOf(raw, "requests.pick_recorded");
  return {
    requestId: field("requestId", uuid),
    number: field("number", text),
    ward: field("ward", text),
    dispenserId: field("dispenserId", uuid),
    version: field("version", positiveCount),
    actorId: field("actorId", uuid),
    lines: field("lines", listOf(parseLine)),
  };
});
