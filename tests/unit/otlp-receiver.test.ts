/**
 * The tracing acceptance tests trust the OTLP receiver to read what the services send; here
 * it reads what the services' own SDK sends. @asky/telemetry is started in this process
 * against the receiver (protobuf, the default, gzipped), spans of every shape the services
 * make are recorded and flushed, and each must come back with its ids, parent, kind,
 * attributes and links intact. The JSON reading is checked against OTLP's JSON mapping, and
 * unreadable exports must be refused and kept, not silently dropped.
 */
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askyTracer, contextFromHeaders, linkFromHeaders, startTelemetry } from "@asky/telemetry";
import { startOtlpReceiver, type OtlpReceiver } from "@asky/stack/testing/otlp-receiver";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const client = { traceId: hex(16), spanId: hex(8) };
const producer = { traceId: hex(16), spanId: hex(8) };
const traceparent = (ids: { traceId: string; spanId: string }) => `00-${ids.traceId}-${ids.spanId}-01`;

let receiver: OtlpReceiver;
const saved = { ...process.env };
const ids = { server: "", sql: "", consumer: "" };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // The exporters read their endpoint and compression from the process environment, as in a service.
  Object.assign(process.env, receiver.exporterEnv(), { OTEL_EXPORTER_OTLP_COMPRESSION: "gzip" });
  const telemetry = startTelemetry({ service: "otlp-test", env: process.env });
  const tracer = askyTracer();

  const incoming = contextFromHeaders({ traceparent: traceparent(client) });
  const server = tracer.startSpan(
    "POST /graphql",
    {
      kind: SpanKind.SERVER,
      attributes: {
        "http.request.method": "POST",
        "http.response.status_code": 200,
        "test.negative": -7,
        "test.ratio": 0.25,
        "test.flag": true,
        "test.list": ["a", "b"],
      },
    },
    incoming,
  );
  const sql = tracer.startSpan(
    "INSERT requests.outbox",
    { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql" } },
    trace.setSpan(incoming, server),
  );
  sql.end();
  server.end();
  const consumer = tracer.startSpan(
    "process asky.requests.created",
    { kind: SpanKind.CONSUMER, links: linkFromHeaders({ traceparent: traceparent(producer) }) },
    ROOT_CONTEXT,
  );
  consumer.end();
  ids.server = server.spanContext().spanId;
  ids.sql = sql.spanContext().spanId;
  ids.consumer = consumer.spanContext().spanId;
  // Flushes the batch of spans and a last collection of metrics.
  await telemetry.shutdown();
});

afterAll(async () => {
  process.env = saved;
  await receiver?.close();
});

describe("the OTLP receiver", () => {
  it("reads the SDK's gzipped protobuf trace exports into spans with their trace, parent, kind, attributes and links", async () => {
    await receiver.waitForSpans(() => true, { count: 3, what: "the three spans" });
    expect(receiver.failures).toEqual([]);
    expect(receiver.exports.filter((sent) => sent.signal === "traces")).toEqual([
      { signal: "traces", encoding: "protobuf", gzip: true, items: 3 },
    ]);
    const byName = Object.fromEntries(receiver.spans.map((span) => [span.name, span]));
    expect(byName["POST /graphql"]).toEqual({
      traceId: client.traceId,
      spanId: ids.server,
      parentSpanId: client.spanId,
      name: "POST /graphql",
      kind: "SERVER",
      service: "asky-otlp-test",
      attributes: {
        "http.request.method": "POST",
        "http.response.status_code": 200,
        "test.negative": -7,
        "test.ratio": 0.25,
        "test.flag": true,
        "test.list": '["a","b"]',
      },
      links: [],
    });
    expect(byName["INSERT requests.outbox"]).toMatchObject({
      traceId: client.traceId,
      spanId: ids.sql,
      parentSpanId: ids.server,
      kind: "CLIENT",
      attributes: { "db.system.name": "postgresql" },
    });
    const consumer = byName["process asky.requests.created"];
    expect(consumer).toMatchObject({ spanId: ids.consumer, parentSpanId: null, kind: "CONSUMER", links: [producer] });
    expect(consumer?.traceId).not.toBe(producer.traceId);
  });

  it("reads the metric names of the SDK's protobuf metric exports", async () => {
    await receiver.waitForMetric("asky-otlp-test", "process_resident_memory_bytes");
    await receiver.waitForMetric("asky-otlp-test", "nodejs_eventloop_delay_p99_seconds");
    expect(
      receiver.exports.filter((sent) => sent.signal === "metrics").every((sent) => sent.encoding === "protobuf"),
    ).toBe(true);
  });

  it("reads OTLP JSON as the specification maps it: hex ids, numeric kinds, int64 as text", async () => {
    const traceId = hex(16);
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "asky-json" } }] },
          scopeSpans: [
            {
              scope: { name: "asky" },
              spans: [
                {
                  traceId: traceId.toUpperCase(),
                  spanId: "00f067aa0ba902b7",
                  parentSpanId: "",
                  name: "publish asky.requests.status_changed",
                  kind: 4,
                  attributes: [
                    { key: "messaging.system", value: { stringValue: "nats" } },
                    { key: "count", value: { intValue: "9007199254740993" } },
                    { key: "small", value: { intValue: "12" } },
                    { key: "ok", value: { boolValue: false } },
                    { key: "ratio", value: { doubleValue: 1.5 } },
                  ],
                  links: [{ traceId: client.traceId, spanId: client.spanId }],
                },
                {
                  traceId,
                  spanId: "b7ad6b7169203331",
                  parentSpanId: "00f067aa0ba902b7",
                  name: "x",
                  kind: "SPAN_KIND_CONSUMER",
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await fetch(`${receiver.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify(body)),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(receiver.trace(traceId)).toEqual([
      {
        traceId,
        spanId: "00f067aa0ba902b7",
        parentSpanId: null,
        name: "publish asky.requests.status_changed",
        kind: "PRODUCER",
        service: "asky-json",
        attributes: { "messaging.system": "nats", count: "9007199254740993", small: 12, ok: false, ratio: 1.5 },
        links: [client],
      },
      {
        traceId,
        spanId: "b7ad6b7169203331",
        parentSpanId: "00f067aa0ba902b7",
        name: "x",
        kind: "CONSUMER",
        service: "asky-json",
        attributes: {},
        links: [],
      },
    ]);
  });

  it("answers an empty protobuf response, refuses what it cannot read and keeps why", async () => {
    const post = (path: string, contentType: string, body: Uint8Array | string) =>
      fetch(`${receiver.url}${path}`, { method: "POST", headers: { "content-type": contentType }, body });
    const empty = await post("/v1/traces", "application/x-protobuf", new Uint8Array());
    expect(empty.status).toBe(200);
    expect(empty.headers.get("content-type")).toBe("application/x-protobuf");
    expect((await empty.arrayBuffer()).byteLength).toBe(0);

    const before = receiver.failures.length;
    // resource_spans (field 1) claiming 5 bytes where 1 follows.
    expect((await post("/v1/traces", "application/x-protobuf", new Uint8Array([0x0a, 0x05, 0x01]))).status).toBe(400);
    expect((await post("/v1/metrics", "application/json", "[]")).status).toBe(400);
    expect((await post("/v1/traces", "text/plain", "spans")).status).toBe(415);
    expect((await post("/v1/logs", "application/json", "{}")).status).toBe(404);
    expect(receiver.failures.slice(before)).toEqual([
      expect.stringMatching(/^\/v1\/traces \(protobuf\): .*runs past the end/),
      expect.stringMatching(/^\/v1\/metrics \(json\): /),
      expect.stringMatching(/^\/v1\/traces: unsupported content-type text\/plain/),
    ]);
  });
});
