import { metrics, trace, type Meter, type Tracer } from "@opentelemetry/api";

/**
 * The tracer and meter every Asky module records with. Asked for when used, never held from
 * import time: startTelemetry registers the providers when the process starts, and a meter
 * taken before that would stay a no-op for good.
 */
export function askyTracer(): Tracer {
  return trace.getTracer("asky");
}

export function askyMeter(): Meter {
  return metrics.getMeter("asky");
}

/** Latency buckets in seconds, from a cached read (1 ms) to a statement timeout (5 s) and beyond. */
export const secondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Buckets in seconds for event lag (commit to publish, to handling, to a socket): up to minutes. */
export const lagBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
