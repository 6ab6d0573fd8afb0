import { requestKinds, requestPriorities, requestStatuses, slaStages } from "../request-enums.js";
import type { RequestKind, RequestPriority, RequestStatus, SlaStage } from "../request-enums.js";
import { defineEvent } from "./event-contract.js";
import { fieldsOf, instant, positiveCount, text, uuid, oneOf } from "./fields.js";
import { requestLinesChanged } from "./request-lines-changed.js";
import { requestLifecycleEvents } from "./request-status-changed.js";

/**
 * `data` of asky.requests.sla_warning and asky.requests.sla_breached: a request in progress
 * came close to (a configured share of its window) or went past the due time of its stage
 * (issue 17). Each is written once per request and stage, by the requests service's clock.
 */
export interface SlaEventData {
  readonly requestId: string;
  readonly number: string;
  readonly kind: RequestKind;
  readonly priority: RequestPriority;
  readonly ward: string;
  readonly dispenserId: string;
  /** The request's status when the clock noticed (it did not change). */
  readonly status: RequestStatus;
  /** The request's version when the clock noticed; the mark does not bump it. */
  readonly version: number;
  readonly stage: SlaStage;
  /** ISO-8601: when the stage falls (or fell) due. */
  readonly dueAt: string;
}

function slaDataParser(path: string) {
  return (raw: unknown): SlaEventData => {
    const field = fieldsOf(raw, path);
    return {
      requestId: field("requestId", uuid),
      number: field("number", text),
      kind: field("kind", oneOf(requestKinds)),
      priority: field("priority", oneOf(requestPriorities)),
      ward: field("ward", text),
      dispenserId: field("dispenserId", uuid),
      status: field("status", oneOf(requestStatuses)),
      version: field("version", positiveCount),
      stage: field("stage", oneOf(slaStages)),
      dueAt: field("dueAt", instant),
    };
  };
}

/** A stage is close to due: the configured share of its window has passed. */
export const slaWarning = defineEvent("asky.requests.sla_warning", slaDataParser("requests.sla_warning"));

/** A stage went past its due time without being reached. */
export const slaBreached = defineEvent("asky.requests.sla_breached", slaDataParser("requests.sla_breached"));

/** What every event a request subscription follows carries, whatever else it does. */
export interface RequestFeedData {
  readonly requestId: string;
  readonly ward: string;
  readonly dispenserId: string;
}

/**
 * The events request subscriptions deliver (requestEvents, requestStatusChanged): the
 * lifecycle, a PENDING restock's lines growing, and the turnaround clock's warnings and breaches.
 */
export const requestFeedEvents = [...requestLifecycleEvents, requestLinesChanged, slaWarning, slaBreached] as const;
