import { hostname } from "node:os";
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, diag, DiagLogLevel, metrics, propagation, trace, type DiagLogFunction } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { detectResources, envDetector, resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPMetricExporter as JsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtobufMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { readTelemetrySettings, type OtlpProtocol, type TelemetrySettings } from "./otel-env.js";
import { samplerFor } from "./sampler.js";
import { observeProcess } from "./process-metrics.js";
import { setTracingEnabled } from "./tracing-state.js";

export interface TelemetryOptions {
  /** The Asky service, e.g. `requests`; OTEL_SERVICE_NAME overrides the `asky-<service>` default. */
  readonly service: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the SDK's own trouble (an unreachable collector, say) is reported. */
  readonly report?: (level: "warn" | "error", message: string) => void;
}

export interface Telemetry {
  readonly settings: TelemetrySettings;
  /** Serves this process's metrics in Prometheus' text format (protect it: see metricsRoute). */
  prometheus(req: IncomingMessage, res: ServerResponse): void;
  /** Exports what is buffered (spans of the last requests) and stops; bounded, never throws. */
  shutdown(): Promise<void>;
}

function traceExporter(protocol: OtlpProtocol): SpanExporter {
  return protocol === "http/json" ? new JsonTraceExporter() : new ProtobufTraceExporter();
}

function metricReader(protocol: OtlpProtocol, intervalMs: number): MetricReader {
  const exporter = protocol === "http/json" ? new JsonMetricExporter() : new ProtobufMetricExporter();
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs });
}

function resourceFor(settings: TelemetrySettings): Resource {
  // OTEL_RESOURCE_ATTRIBUTES (a deployment's region or cluster, say) first; ours win for the
  // service identity, which dashboards and alerts select on.
  return detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({
      "service.name": settings.serviceName,
      "service.namespace": "asky",
      "service.instance.id": `${hostname()}-${process.pid}`,
    }),
  );
}

function reportThrough(report: TelemetryOptions["report"]): void {
  if (!report) return;
  const warn: DiagLogFunction = (message) => report("warn", message);
  const error: DiagLogFunction = (message) => report("error", message);
  const quiet: DiagLogFunction = () => undefined;
  diag.setLogger({ error, warn, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.WARN);
}

let started: Telemetry | null = null;

/** This process's telemetry, once startTelemetry ran (runService runs it first thing). */
export function startedTelemetry(): Telemetry | null {
  return started;
}

/**
 * Sets up this process's OpenTelemetry before anything else runs, once. Metrics always: every
 * service serves them to Prometheus, and pushes them over OTLP too when an endpoint is set.
 * Traces only when an OTLP endpoint is set: without one no tracer provider is registered, the
 * API's no-op tracer answers every span, and tracing costs nothing.
 *
 * Instruments must be created after this call (the metrics API has no late-binding proxy), so
 * every module asks for its meter when it starts, never at import.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (started) return started;
  const settings = readTelemetrySettings(options.env ?? process.env, `asky-${options.service}`);
  reportThrough(options.report);
  const resource = resourceFor(settings);

  const prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const readers: MetricReader[] = [prometheus];
  if (settings.otlpMetrics) readers.push(metricReader(settings.otlpMetrics.protocol, settings.otlpMetrics.intervalMs));
  const meterProvider = new MeterProvider({ resource, readers });
  metrics.setGlobalMeterProvider(meterProvider);
  observeProcess(metrics.getMeter("asky"));

  let tracerProvider: TracerProvider | null = null;
  if (settings.traces) {
    tracerProvider = new TracerProvider({
      resource,
      sampler: samplerFor(settings.traces.sampler),
      spanProcessors: [new BatchSpanProcessor({ exporter: traceExporter(settings.traces.protocol) })],
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(tracerProvider);
    setTracingEnabled(true);
  }

  started = {
    settings,
    prometheus: (req, res) => prometheus.getMetricsRequestHandler(req, res),
    async shutdown() {
      const bounded = (work: Promise<void>) =>
        Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, 3_000).unref())]);
      await Promise.all([bounded(tracerProvider?.shutdown() ?? Promise.resolve()), bounded(meterProvider.shutdown())]);
    },
  };
  return started;
}
