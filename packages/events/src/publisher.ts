import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "@asky/runtime";
import type { TraceHeaders } from "@asky/telemetry";
import { ensureStream } from "./ensure-stream.js";
import { onReconnect } from "./on-reconnect.js";
import { natsTraceHeaders } from "./trace-headers.js";

export interface OutboxRow extends Record<string, unknown> {
  id: string;
  subject: string;
  payload: unknown;
  /** The row's stored trace context (jsonb), read by the relay for its publish span. */
  headers?: unknown;
}

export interface PublisherOptions {
  /** How long to wait for the stream's ack. */
  timeoutMs: number;
  /** Copies of the stream (NATS_STREAM_REPLICAS), for creating or scaling it. */
  streamReplicas: number;
  logger: Logger;
}

/**
 * JetStream publishing for the relay: makes sure the stream exists before the first publish
 * (and again after any failure, in case the broker lost it), and waits for the stream's ack,
 * which is what makes a row safe to stamp as published.
 *
 * A publish sent as the broker went down never gets its ack; waiting out the timeout would
 * hold every later event back that long after the broker is back. A reconnect fails the
 * wait at once instead, and the relay publishes the row again (the stream drops the copy
 * should the first one have landed: same msgID).
 */
export function createPublisher(nats: NatsConnection, options: PublisherOptions) {
  const { timeoutMs, streamReplicas, logger } = options;
  const js = jetstream(nats, { timeout: timeoutMs });
  let streamReady = false;
  let interrupt: (() => void) | null = null;
  const stopWatching = onReconnect(nats, () => interrupt?.(), logger);
  return {
    /** `trace`: the W3C context to send in the message's headers (the relay's publish span). */
    async publish(row: OutboxRow, trace: TraceHeaders = {}): Promise<void> {
      try {
        if (!streamReady) {
          await ensureStream(nats, { replicas: streamReplicas, logger, timeoutMs });
          streamReady = true;
        }
        const headers = natsTraceHeaders(trace);
        const acked = js.publish(row.subject, JSON.stringify(row.payload), {
          msgID: row.id,
          timeout: timeoutMs,
          ...(headers ? { headers } : {}),
        });
        // Once the wait is cut short, how this publish ends is nobody's business.
        acked.catch(() => undefined);
        const cut = new Promise<never>((_resolve, reject) => {
          interrupt = () => reject(new Error("NATS reconnected before the stream acknowledged the event"));
        });
        try {
          await Promise.race([acked, cut]);
        } finally {
          interrupt = null;
        }
      } catch (error) {
        streamReady = false;
        throw error;
      }
    },
    close(): void {
      stopWatching();
    },
  };
}
