import { requestPriorities, slaStages, type RequestPriority, type SlaStage } from "@asky/contracts";
import { askyMeter, secondsBuckets } from "@asky/telemetry";

type Meter = ReturnType<typeof askyMeter>;
type Counter = ReturnType<Meter["createCounter"]>;
type Histogram = ReturnType<Meter["createHistogram"]>;

/** The label of asky_sla_marks_total: which mark the clock wrote. */
export type SlaMarkType = "warning" | "breached";
const markTypes: readonly SlaMarkType[] = ["warning", "breached"];

/** How one pass of a lease holder ended, the label of asky_sla_clock_pass_duration_seconds. */
export type SlaPassOutcome = "ok" | "failed";

interface SlaMetrics {
  readonly marks: Counter;
  readonly passDuration: Histogram;
}

let instruments: SlaMetrics | undefined;
/** Whether this replica's clock holds the lease, as the gauge reports it. */
let leaseHeld = false;

/**
 * Created when first used, after startTelemetry registered the meter provider (the clock
 * starts after it; a meter taken before would stay a no-op).
 */
function metrics(): SlaMetrics {
  if (instruments) return instruments;
  const meter = askyMeter();
  const marks = meter.createCounter("asky_sla_marks_total", {
    description: "SLA warnings and breaches the turnaround clock marked (committed), by type, stage and priority",
  });
  // Every series exported from the start: an increase() over a series that appears only at the
  // first breach misses that breach, and an alert on it has nothing to evaluate until then.
  for (const type of markTypes)
    for (const stage of slaStages) for (const priority of requestPriorities) marks.add(0, { type, stage, priority });
  const passDuration = meter.createHistogram("asky_sla_clock_pass_duration_seconds", {
    description:
      "One pass of the turnaround clock on the replica holding its lease (finding and marking due requests), by outcome",
    unit: "s",
    advice: { explicitBucketBoundaries: secondsBuckets },
  });
  meter
    .createObservableGauge("asky_sla_clock_lease_held", {
      description:
        "1 while this replica holds the turnaround clock's lease (exactly one replica should); 0 while another does or none",
    })
    .addCallback((result) => result.observe(leaseHeld ? 1 : 0));
  instruments = { marks, passDuration };
  return instruments;
}

/** Starts exporting the clock's series (the gauge at 0, the counters at 0) before its first pass. */
export function startSlaMetrics(): void {
  metrics();
}

export function recordLeaseHeld(held: boolean): void {
  leaseHeld = held;
}

/** A committed mark. */
export function recordSlaMark(type: SlaMarkType, stage: SlaStage, priority: RequestPriority): void {
  metrics().marks.add(1, { type, stage, priority });
}

export function recordSlaPass(outcome: SlaPassOutcome, durationMs: number): void {
  metrics().passDuration.record(durationMs / 1000, { outcome });
}
