/**
 * The OpenTelemetry settings of one process, read from the standard OTEL_* variables only, so
 * that a hospital's existing collector configuration (the same variables every OTel SDK reads)
 * applies to Asky unchanged. Checked at start: a typo in a variable that decides whether a
 * STAT request can be traced should stop the process with its name, not be ignored.
 *
 * The OTLP exporters read the rest themselves (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT,
 * _COMPRESSION, the per-signal endpoints); only what decides whether and how to export is here.
 */
export type OtlpProtocol = "http/protobuf" | "http/json";

export type SamplerSetting =
  | { readonly kind: "always_on" | "always_off" | "parentbased_always_on" | "parentbased_always_off" }
  | { readonly kind: "traceidratio" | "parentbased_traceidratio"; readonly ratio: number };

export interface TelemetrySettings {
  /** Set only when traces are exported: no endpoint, no tracing SDK at all (it costs nothing). */
  readonly traces: { readonly protocol: OtlpProtocol; readonly sampler: SamplerSetting } | null;
  /** Set only when metrics are also pushed over OTLP; Prometheus is served regardless. */
  readonly otlpMetrics: { readonly protocol: OtlpProtocol; readonly intervalMs: number } | null;
  readonly serviceName: string;
}

export class TelemetryConfigError extends Error {
  override name = "TelemetryConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

const protocols: readonly OtlpProtocol[] = ["http/protobuf", "http/json"];
const samplers = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

function protocolFor(env: Env, signal: "TRACES" | "METRICS"): OtlpProtocol {
  const name = value(env, `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`)
    ? `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`
    : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const given = value(env, name) ?? "http/protobuf";
  if (!(protocols as readonly string[]).includes(given)) {
    throw new TelemetryConfigError(
      `${name}=${given} is not supported: Asky exports OTLP over HTTP, set it to http/protobuf or http/json`,
    );
  }
  return given as OtlpProtocol;
}

function samplerFrom(env: Env): SamplerSetting {
  const given = value(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on";
  const kind = samplers.find((name) => name === given);
  if (!kind) {
    throw new TelemetryConfigError(`OTEL_TRACES_SAMPLER=${given} is not one of ${samplers.join(", ")}`);
  }
  if (kind !== "traceidratio" && kind !== "parentbased_traceidratio") return { kind };
  const arg = value(env, "OTEL_TRACES_SAMPLER_ARG") ?? "1";
  const ratio = Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new TelemetryConfigError(`OTEL_TRACES_SAMPLER_ARG=${arg} must be a number from 0 to 1`);
  }
  return { kind, ratio };
}

function exporterChosen(env: Env, signal: "TRACES" | "METRICS", wanted: string): boolean {
  const list = value(env, `OTEL_${signal}_EXPORTER`);
  if (list === undefined) return true;
  const names = list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!["otlp", "none", "prometheus", "console"].includes(name)) {
      throw new TelemetryConfigError(`OTEL_${signal}_EXPORTER=${list}: "${name}" is not an exporter Asky offers`);
    }
  }
  return names.includes(wanted);
}

function endpointFor(env: Env, signal: "TRACES" | "METRICS"): string | undefined {
  const endpoint = value(env, `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`) ?? value(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (endpoint === undefined) return undefined;
  try {
    const url = new URL(endpoint);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    throw new TelemetryConfigError(`the OTLP endpoint "${endpoint}" is not an http(s) URL`);
  }
  return endpoint;
}

function intervalFrom(env: Env): number {
  const given = value(env, "OTEL_METRIC_EXPORT_INTERVAL") ?? "60000";
  const ms = Number(given);
  if (!Number.isInteger(ms) || ms < 1_000) {
    throw new TelemetryConfigError(
      `OTEL_METRIC_EXPORT_INTERVAL=${given} must be a whole number of milliseconds, at least 1000`,
    );
  }
  return ms;
}

export function readTelemetrySettings(env: Env, defaultServiceName: string): TelemetrySettings {
  const disabled = value(env, "OTEL_SDK_DISABLED")?.toLowerCase() === "true";
  const tracesEndpoint = endpointFor(env, "TRACES");
  const metricsEndpoint = endpointFor(env, "METRICS");
  const traced = !disabled && tracesEndpoint !== undefined && exporterChosen(env, "TRACES", "otlp");
  const pushed = !disabled && metricsEndpoint !== undefined && exporterChosen(env, "METRICS", "otlp");
  return {
    traces: traced ? { protocol: protocolFor(env, "TRACES"), sampler: samplerFrom(env) } : null,
    otlpMetrics: pushed ? { protocol: protocolFor(env, "METRICS"), intervalMs: intervalFrom(env) } : null,
    serviceName: value(env, "OTEL_SERVICE_NAME") ?? defaultServiceName,
  };
}
