import { describe, expect, it } from "vitest";
import { readTelemetrySettings, TelemetryConfigError } from "../../src/otel-env.js";

const read = (env: Record<string, string>) => readTelemetrySettings(env, "asky-requests");

describe("readTelemetrySettings", () => {
  it("turns tracing and OTLP metrics off when no endpoint is set, and names the service", () => {
    expect(read({})).toEqual({ traces: null, otlpMetrics: null, serviceName: "asky-requests" });
  });

  it("exports traces and metrics over OTLP/HTTP protobuf with a parent-based always-on sampler by default", () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toEqual({
      traces: { protocol: "http/protobuf", sampler: { kind: "parentbased_always_on" } },
      otlpMetrics: { protocol: "http/protobuf", intervalMs: 60_000 },
      serviceName: "asky-requests",
    });
  });

  it("reads the per-signal endpoint and protocol, the sampler and its ratio, and OTEL_SERVICE_NAME", () => {
    const settings = read({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://collector.hospital/v1/traces",
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
      OTEL_SERVICE_NAME: "requests-blue",
    });
    expect(settings.traces).toEqual({
      protocol: "http/json",
      sampler: { kind: "parentbased_traceidratio", ratio: 0.25 },
    });
    expect(settings.otlpMetrics).toBeNull();
    expect(settings.serviceName).toBe("requests-blue");
  });

  it("exports nothing when the SDK is disabled or the exporter is none", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(read({ ...endpoint, OTEL_SDK_DISABLED: "true" }).traces).toBeNull();
    expect(read({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }).traces).toBeNull();
    expect(read({ ...endpoint, OTEL_METRICS_EXPORTER: "prometheus" }).otlpMetrics).toBeNull();
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported/],
    [{ OTEL_TRACES_SAMPLER: "sometimes" }, /OTEL_TRACES_SAMPLER=sometimes/],
    [{ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" }, /from 0 to 1/],
    [{ OTEL_TRACES_EXPORTER: "jaeger" }, /"jaeger" is not an exporter/],
    [{ OTEL_METRIC_EXPORT_INTERVAL: "10" }, /OTEL_METRIC_EXPORT_INTERVAL=10/],
  ])("refuses %o with a message naming the variable", (env, message) => {
    const settings = () => read({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", ...env });
    expect(settings).toThrow(TelemetryConfigError);
    expect(settings).toThrow(message);
  });

  it("refuses an endpoint that is not an http(s) URL", () => {
    expect(() => read({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317" })).toThrow(/not an http\(s\) URL/);
  });
});
