/**
 * A real OpenTelemetry SDK registered in the test process, as startTelemetry registers one in
 * a service (context manager, W3C propagator, tracer and meter providers), but keeping spans
 * in memory and collecting metrics on demand. Register it before starting relays or consumers:
 * they take their instruments when they start.
 */
import { context, metrics, propagation, trace, type Attributes } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { DataPointType, MeterProvider, MetricReader, type MetricData } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";

/** Collects only when asked, like a Prometheus scrape. */
class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One series' value: a number for counters and gauges, the count and sum for histograms. */
export interface Point {
  readonly attributes: Attributes;
  readonly value: number;
  readonly count?: number;
  readonly sum?: number;
}

export interface TestTelemetry {
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** Collects every instrument now (runs the observable callbacks) and returns the series of `name`. */
  points(name: string): Promise<Point[]>;
  /** Unregisters everything, so the next file starts without a provider. */
  shutdown(): Promise<void>;
}

function pointsOf(metric: MetricData): Point[] {
  if (metric.dataPointType === DataPointType.HISTOGRAM) {
    return metric.dataPoints.map((point) => ({
      attributes: point.attributes,
      value: point.value.count,
      count: point.value.count,
      sum: point.value.sum,
    }));
  }
  if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) return [];
  return metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value }));
}

export function registerTestTelemetry(): TestTelemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => exporter.getFinishedSpans(),
    async points(name) {
      const { resourceMetrics } = await reader.collect();
      const found = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.descriptor.name === name);
      return found.flatMap(pointsOf);
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The series of `points` whose attributes include every one of `attributes`. */
export function series(points: readonly Point[], attributes: Attributes): Point[] {
  return points.filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value));
}
