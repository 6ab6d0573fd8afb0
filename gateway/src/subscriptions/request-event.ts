import type { JsMsg } from "@nats-io/jetstream";
import { eventSubjects, parseEnvelope } from "@asky/common";

/** What the gateway needs from a request event to route it; the payload is resolved later. */
export interface RequestEventMessage {
  /** JetStream stream sequence: the resume cursor, totally ordered across replicas. */
  readonly seq: number;
  readonly eventId: string;
  readonly requestId: string;
  readonly ward: string;
  readonly dispenserId: string;
  /** When the change committed (epoch ms), to measure delivery latency. */
  readonly occurredAt: number;
}

export const REQUEST_EVENT_SUBJECTS = "asky.requests.>";
const routedSubjects = new Set<string>([eventSubjects.requestCreated, eventSubjects.requestStatusChanged]);

function field(data: Record<string, unknown>, name: string): string {
  const value = data[name];
  if (typeof value !== "string" || value.length === 0) throw new Error(`request event without ${name}`);
  return value;
}

/** Null for subjects that are not request lifecycle events. Throws on a malformed event. */
export function toRequestEvent(message: JsMsg): RequestEventMessage | null {
  if (!routedSubjects.has(message.subject)) return null;
  const envelope = parseEnvelope(message.json());
  const data = envelope.data as Record<string, unknown>;
  return {
    seq: message.seq,
    eventId: envelope.id,
    requestId: field(data, "requestId"),
    ward: field(data, "ward"),
    dispenserId: field(data, "dispenserId"),
    occurredAt: Date.parse(envelope.occurredAt),
  };
}

/** Cursors are opaque to clients; inside they are the stream sequence. */
export function encodeEventCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, "utf8").toString("base64url");
}

export function decodeEventCursor(cursor: string): number | null {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}
