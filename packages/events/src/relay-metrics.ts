import type { BatchObservableCallback } from "@opentelemetry/api";
import { askyMeter, lagBuckets } from "@asky/telemetry";
import type { OutboxBacklog } from "./outbox-backlog.js";

/**
 * A published row's relay lag: its age when the relay claimed it, as the database measured it
 * (`clock_timestamp() - created_at`, one clock for both ends), plus the time since the claim on
 * this process' monotonic clock. No comparison between two hosts' clocks, and nothing from the
 * event's `occurredAt`: an event written now about an instant days ago (seeded history, a
 * backfill) has waited in the outbox for milliseconds, and that wait is what the relay answers
 * for. Null when the age is not a number (the relay then records nothing).
 */
export function relayLagSeconds(ageAtClaimSeconds: unknown, sinceClaimMs: number): number | null {
  if (typeof ageAtClaimSeconds !== "number" || !Number.isFinite(ageAtClaimSeconds)) return null;
  return Math.max(0, ageAtClaimSeconds) + Math.max(0, sinceClaimMs) / 1_000;
}

export interface RelayMetrics {
  /** A row the stream acknowledged, `lagSeconds` after it entered the outbox (see relayLagSeconds). */
  published(lagSeconds: number | null): void;
  /** A publish that failed (the row is retried). */
  failed(): void;
  /** Stops observing the backlog (the relay closed). */
  close(): void;
}

/**
 * The relay's figures, labelled with its service. Created when the relay starts, never at
 * import: a meter taken before startTelemetry registered the provider stays a no-op.
 *
 * The backlog gauges are read from the database at each collection (a scrape) rather than
 * kept from what the relay sees: the relay only ever sees one batch, and while it is stuck
 * (NATS down, its leader hung) it sees nothing at all, which is exactly when the backlog
 * matters. The query is one pass over the partial index on unpublished rows with a short
 * statement timeout (see outboxBacklogQuery); when it cannot answer, the observation is
 * skipped, never thrown. Every replica with a session observes, not only the leader, so that
 * a hung leader's backlog is still seen: take the max by service, not the sum.
 */
export function relayMetrics(service: string, readBacklog: () => Promise<OutboxBacklog | null>): RelayMetrics {
  const meter = askyMeter();
  const attributes = { service };
  const lag = meter.createHistogram("asky_outbox_relay_lag_seconds", {
    description: "From an outbox row's insert (its created_at) to the stream's acknowledgement of its publish",
    unit: "s",
    advice: { explicitBucketBoundaries: lagBuckets },
  });
  const published = meter.createCounter("asky_outbox_published_total", {
    description: "Outbox rows the stream acknowledged",
  });
  const failures = meter.createCounter("asky_outbox_publish_failures_total", {
    description: "Failed attempts to publish an outbox row (the row is retried, in order)",
  });
  const backlog = meter.createObservableGauge("asky_outbox_backlog", {
    description: "Outbox rows not yet published",
  });
  const oldest = meter.createObservableGauge("asky_outbox_oldest_unpublished_age_seconds", {
    description: "Age of the oldest outbox row not yet published; 0 when there is none",
    unit: "s",
  });
  const observe: BatchObservableCallback = async (result) => {
    const read = await readBacklog();
    if (!read) return;
    result.observe(backlog, read.rows, attributes);
    result.observe(oldest, read.oldestAgeSeconds, attributes);
  };
  meter.addBatchObservableCallback(observe, [backlog, oldest]);

  return {
    published(lagSeconds) {
      published.add(1, attributes);
      if (lagSeconds !== null) lag.record(lagSeconds, attributes);
    },
    failed() {
      failures.add(1, attributes);
    },
    close() {
      meter.removeBatchObservableCallback(observe, [backlog, oldest]);
    },
  };
}
