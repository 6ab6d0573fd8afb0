import type { ObservableCallback } from "@opentelemetry/api";
import { askyMeter, lagBuckets, secondsBuckets } from "@asky/telemetry";

/**
 * Seconds from the instant the stream stored a message (JetStream's `timestampNanos`, the
 * server's clock) to `nowMs`: how far behind the stream the consumer is. Not the event's
 * `occurredAt`: an event about an instant days ago (seeded history, a backfill) that reached the
 * stream a moment ago is no backlog of the consumer's, and the way from the outbox to the stream
 * is the relay's lag (asky_outbox_relay_lag_seconds). A server clock a little ahead gives none.
 */
export function secondsSinceStored(storedAtNanos: bigint, nowMs: number): number {
  return Math.max(0, (nowMs - Number(storedAtNanos / 1_000_000n)) / 1_000);
}

/** How a delivery ended: acknowledged (applied or a duplicate), retried later, or given up. */
export type Settlement = "ack" | "nak" | "term";

export interface ConsumerMetrics {
  /** A message was delivered; `deliveryCount` above 1 is a redelivery. */
  delivered(deliveryCount: number): void;
  /** A delivery ended after `seconds`; `pending` is what the server had left behind it. */
  settled(outcome: Settlement, seconds: number, pending: number): void;
  /** An event's effect committed: its lag runs from the stream's timestamp of the message to now. */
  applied(storedAtNanos: bigint): void;
  /** Stops observing (the consumer closed). */
  close(): void;
}

/**
 * A durable consumer's figures, labelled with its durable name. Created when the consumer
 * starts, never at import: a meter taken before startTelemetry stays a no-op.
 *
 * The pending gauge is the count the server sent with the last message handled (JetStream
 * puts it in every delivery's metadata), not a request to the server at each scrape: it is
 * exact while messages flow and 0 once the consumer caught up. Before the first message it
 * is not observed at all: a consumer that never received anything does not know its backlog,
 * and saying 0 would claim it is caught up.
 */
export function consumerMetrics(consumer: string): ConsumerMetrics {
  const meter = askyMeter();
  const attributes = { consumer };
  const duration = meter.createHistogram("asky_consumer_process_duration_seconds", {
    description: "Handling of one delivery by a durable consumer, by outcome (ack, nak, term)",
    unit: "s",
    advice: { explicitBucketBoundaries: secondsBuckets },
  });
  const redeliveries = meter.createCounter("asky_consumer_redeliveries_total", {
    description: "Deliveries of a message the consumer had been sent before (not acknowledged in time, or nak'ed)",
  });
  // Exported from the start: a rate() over a series that appears only at the first redelivery
  // misses that one, and an alert on it has nothing to evaluate until then.
  redeliveries.add(0, attributes);
  const lag = meter.createHistogram("asky_consumer_lag_seconds", {
    description: "From the stream's storing of an event to the commit of its effect by the consumer",
    unit: "s",
    advice: { explicitBucketBoundaries: lagBuckets },
  });
  const pendingGauge = meter.createObservableGauge("asky_consumer_pending_messages", {
    description: "Messages of the consumer's subject the server still had to deliver, as of the last one handled",
  });
  let pending: number | null = null;
  const observe: ObservableCallback = (result) => {
    if (pending !== null) result.observe(pending, attributes);
  };
  pendingGauge.addCallback(observe);

  return {
    delivered(deliveryCount) {
      if (deliveryCount > 1) redeliveries.add(1, attributes);
    },
    settled(outcome, seconds, left) {
      duration.record(seconds, { ...attributes, outcome });
      pending = left;
    },
    applied(storedAtNanos) {
      lag.record(secondsSinceStored(storedAtNanos, Date.now()), attributes);
    },
    close() {
      pendingGauge.removeCallback(observe);
    },
  };
}
