import { askyMeter, secondsBuckets } from "@asky/telemetry";

type Meter = ReturnType<typeof askyMeter>;
type Counter = ReturnType<Meter["createCounter"]>;
type Histogram = ReturnType<Meter["createHistogram"]>;

/** Outcome of one attempt, the label of asky_webhook_attempts_total. */
export type AttemptResult = "delivered" | "retry" | "failed";

const attemptResults: readonly AttemptResult[] = ["delivered", "retry", "failed"];

interface WebhookMetrics {
  readonly attempts: Counter;
  readonly duration: Histogram;
  readonly enqueued: Counter;
}

let instruments: WebhookMetrics | undefined;

/** Created when first used, after startTelemetry registered the meter provider. */
function metrics(): WebhookMetrics {
  const meter = askyMeter();
  instruments ??= {
    attempts: meter.createCounter("asky_webhook_attempts_total", {
      description:
        "Webhook delivery attempts, by result (delivered; retry: failed, another will be made; failed: the last)",
    }),
    duration: meter.createHistogram("asky_webhook_attempt_duration_seconds", {
      description: "Time of one webhook delivery attempt, connection to the end of the answer",
      unit: "s",
      advice: { explicitBucketBoundaries: secondsBuckets },
    }),
    enqueued: meter.createCounter("asky_webhook_deliveries_enqueued_total", {
      description: "Deliveries enqueued: one per matching event and webhook",
    }),
  };
  return instruments;
}

/**
 * Exports every result of asky_webhook_attempts_total at 0 as the delivery job starts (call it
 * then, after startTelemetry): an increase() over a series that appears only with the first
 * FAILED attempt misses that attempt, and AskyWebhookDeliveriesFailed would never see it.
 */
export function startWebhookMetrics(): void {
  const { attempts } = metrics();
  for (const result of attemptResults) attempts.add(0, { result });
}

export function recordAttemptMetric(result: AttemptResult, durationMs: number): void {
  metrics().attempts.add(1, { result });
  metrics().duration.record(durationMs / 1000, { result });
}

export function recordEnqueued(count: number, eventType: string): void {
  if (count > 0) metrics().enqueued.add(count, { event_type: eventType });
}
