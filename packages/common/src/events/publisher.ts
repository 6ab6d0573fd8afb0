import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ensureStream } from "../nats.js";

export interface OutboxRow extends Record<string, unknown> {
  id: string;
  subject: string;
  payload: unknown;
}

/**
 * JetStream publishing for the relay: makes sure the stream exists before the first publish
 * (and again after any failure, in case the broker lost it), and waits for the stream's ack,
 * which is what makes a row safe to stamp as published.
 */
export function createPublisher(nats: NatsConnection, timeoutMs: number) {
  const js = jetstream(nats, { timeout: timeoutMs });
  let streamReady = false;
  return {
    async publish(row: OutboxRow): Promise<void> {
      try {
        if (!streamReady) {
          await ensureStream(nats);
          streamReady = true;
        }
        await js.publish(row.subject, JSON.stringify(row.payload), { msgID: row.id, timeout: timeoutMs });
      } catch (error) {
        streamReady = false;
        throw error;
      }
    },
  };
}
