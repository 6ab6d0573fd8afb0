import { randomUUID } from "node:crypto";
import { isUuid } from "../uuid.js";

/**
 * The one shape every Asky event has on the wire. `version` lets a consumer refuse a payload
 * it does not understand instead of misreading it; `id` is also the JetStream `msgID`, the
 * outbox primary key and the consumers' dedupe key, so one id follows an event everywhere.
 */
export interface EventEnvelope<TData = unknown> {
  readonly id: string;
  /** The subject without the `asky.` prefix, e.g. `dispensers.stock_low`. */
  readonly type: string;
  /** NATS subject, e.g. `asky.dispensers.stock_low`. */
  readonly subject: string;
  /** ISO-8601 instant at which the state change committed (the producing transaction's clock). */
  readonly occurredAt: string;
  readonly version: 1;
  readonly data: TData;
}

const subjectPattern = /^asky(\.[a-z0-9_]+){2,}$/;

/** A payload that can never be understood: consumers terminate it instead of retrying. */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

export function createEnvelope<TData>(
  subject: string,
  data: TData,
  options: { id?: string; occurredAt?: Date } = {},
): EventEnvelope<TData> {
  if (!subjectPattern.test(subject)) throw new InvalidEventError(`invalid event subject "${subject}"`);
  return {
    id: options.id ?? randomUUID(),
    type: subject.slice("asky.".length),
    subject,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    version: 1,
    data,
  };
}

/** Checks a received payload is an envelope this code understands; `data` is left to the consumer. */
export function parseEnvelope(raw: unknown): EventEnvelope<unknown> {
  if (typeof raw !== "object" || raw === null) throw new InvalidEventError("event is not an object");
  const candidate = raw as Record<string, unknown>;
  const { id, type, subject, occurredAt, version } = candidate;
  if (!isUuid(id)) throw new InvalidEventError("event id is not a UUID");
  if (typeof subject !== "string" || !subjectPattern.test(subject))
    throw new InvalidEventError("invalid event subject");
  if (typeof type !== "string") throw new InvalidEventError("event type missing");
  if (typeof occurredAt !== "string" || Number.isNaN(Date.parse(occurredAt))) {
    throw new InvalidEventError("event occurredAt is not a date");
  }
  if (version !== 1) throw new InvalidEventError(`unsupported event version ${String(version)}`);
  if (!("data" in candidate)) throw new InvalidEventError("event data missing");
  return { id, type, subject, occurredAt, version, data: candidate.data };
}
