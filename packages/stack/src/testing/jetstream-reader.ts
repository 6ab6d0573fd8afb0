/**
 * Reads what is stored in the real ASKY JetStream stream: the events a test expects a service
 * to have published, with their stream sequence and the message id JetStream deduplicates on.
 */
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { inject } from "vitest";
import { STREAM_NAME } from "@asky/events";

export interface StoredEvent {
  seq: number;
  subject: string;
  msgId: string | undefined;
  envelope: {
    id: string;
    type: string;
    subject: string;
    version: number;
    occurredAt: string;
    data: Record<string, unknown>;
  };
}

/** Every message of the ASKY stream on `subject` (one filter: nats-server 2.9), in stream order. */
export async function streamEvents(nc: NatsConnection, subject: string): Promise<StoredEvent[]> {
  const consumer = await jetstream(nc).consumers.get(STREAM_NAME, { filter_subjects: subject });
  const events: StoredEvent[] = [];
  let pending = (await consumer.info()).num_pending;
  while (pending > 0) {
    // Ask for no more than is pending: a fetch waits until its batch is full or it expires.
    const batch = await consumer.fetch({ max_messages: Math.min(500, pending), expires: 2_000 });
    let received = 0;
    for await (const message of batch) {
      received++;
      events.push({
        seq: message.seq,
        subject: message.subject,
        msgId: message.headers?.get("Nats-Msg-Id"),
        envelope: message.json(),
      });
      pending = message.info.pending;
    }
    if (received === 0) break;
  }
  return events;
}

/** The same, over a connection of its own to the stack's nats-server (or the one at `natsUrl`). */
export async function readStream(subject: string, natsUrl: string = inject("natsUrl")): Promise<StoredEvent[]> {
  const nc = await connect({ servers: natsUrl, name: "asky-test-stream-reader" });
  try {
    return await streamEvents(nc, subject);
  } finally {
    await nc.close();
  }
}

/** The events of one request, in stream order. */
export const eventsOf = (events: StoredEvent[], requestId: string): StoredEvent[] =>
  events.filter((event) => event.envelope.data.requestId === requestId);
