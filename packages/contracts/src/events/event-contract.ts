import { createEnvelope, InvalidEventError, parseEnvelope, type EventEnvelope } from "./envelope.js";

/**
 * One event, declared once: its subject, its data type and the check of that data. Producers
 * `build`, consumers and the gateway `parse`, so a field renamed or dropped on one side fails
 * to compile on the other.
 */
export interface EventContract<TData, TSubject extends string = string> {
  /** Full NATS subject, e.g. "asky.requests.created" (its literal type, for maps keyed by subject). */
  readonly subject: TSubject;
  readonly version: 1;
  /** Producers: the envelope to append to the outbox. `data` is checked by the compiler against TData. */
  build(data: TData, options?: { id?: string; occurredAt?: Date }): EventEnvelope<TData>;
  /** Consumers and the gateway: envelope + data, refusing a malformed payload with InvalidEventError. */
  parse(raw: unknown): EventEnvelope<TData>;
  /**
   * The data check alone, for a consumer handed an envelope already checked (the durable
   * consumer reads the envelope itself, then asks for `data`).
   */
  parseData(data: unknown): TData;
}

/**
 * Version 1 events repeat their envelope's id and instant inside `data`, as `eventId` and `at`:
 * the first producers wrote them there and stored events and their readers keep them. `build`
 * goes on writing both; `parse` does not need them, the envelope carries the same facts.
 */
interface EnvelopeEcho {
  readonly eventId: string;
  readonly at: string;
}

/**
 * A stored event read back (a payload query, a report): one its contract refuses is no event
 * to show, as the gateway's feed skipped it too; anything else that goes wrong still throws.
 */
export function parseStored<TData>(contract: EventContract<TData>, raw: unknown): EventEnvelope<TData> | null {
  try {
    return contract.parse(raw);
  } catch (error) {
    if (error instanceof InvalidEventError) return null;
    throw error;
  }
}

/** `TData` is the parser's return type; annotate it (`(raw): StockLowData => ...`) so both stay one. */
export function defineEvent<TData, const TSubject extends string = string>(
  subject: TSubject,
  parseData: (data: unknown) => TData,
): EventContract<TData, TSubject> {
  return {
    subject,
    version: 1,
    build(data, options) {
      const envelope = createEnvelope(subject, data, options);
      const echo: EnvelopeEcho = { eventId: envelope.id, at: envelope.occurredAt };
      // The echo first: a data field of the same name (there is none today) would win.
      return { ...envelope, data: { ...echo, ...data } };
    },
    parse(raw) {
      const envelope = parseEnvelope(raw);
      if (envelope.subject !== subject) {
        throw new InvalidEventError(`expected an event of ${subject}, got ${envelope.subject}`);
      }
      return { ...envelope, data: parseData(envelope.data) };
    },
    parseData,
  };
}
