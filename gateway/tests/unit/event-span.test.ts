import http from "node:http";
import type { AddressInfo } from "node:net";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/transport-node";
import { traceHeadersOfMessage } from "@asky/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askyTracer, startTelemetry, type Telemetry } from "@asky/telemetry";
import { inEventSpan, startEventSpan } from "../../src/subscriptions/event-span.js";
import type { FeedEvent } from "../../src/subscriptions/feed-event.js";

/** A span as OTLP/JSON carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  links?: { traceId: string; spanId: string }[];
  attributes?: { key: string; value: Record<string, unknown> }[];
}

const CONSUMER = 5;
const producerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const producerSpan = "00f067aa0ba902b7";

/** The exports this process's telemetry sends, collected by a stand-in collector. */
const received: OtlpSpan[] = [];
const otelVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_METRICS_EXPORTER"] as const;
const saved: Partial<Record<(typeof otelVariables)[number], string>> = {};
let collector: http.Server;
let telemetry: Telemetry;

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
      };
      for (const resource of body.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) received.push(...(scope.spans ?? []));
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const { port } = collector.address() as AddressInfo;
  // The OTLP exporters read their endpoint from the process's environment, as in a service.
  for (const name of otelVariables) saved[name] = process.env[name];
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL = "http/json";
  process.env.OTEL_METRICS_EXPORTER = "prometheus";
  telemetry = startTelemetry({ service: "gateway-unit" });
});

afterAll(async () => {
  for (const name of otelVariables) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await new Promise<void>((resolve) => collector.close(() => resolve()));
});

/** An event as the live feed reads it (feed-contracts.ts), with the headers its message carried. */
function feedEvent(headers: MsgHdrs | undefined, eventId: string): FeedEvent {
  return {
    seq: 1,
    eventId,
    subject: "asky.requests.status_changed",
    contract: { subject: "asky.requests.status_changed" } as FeedEvent["contract"],
    data: {},
    occurredAt: Date.now(),
    traceHeaders: traceHeadersOfMessage(headers),
  };
}

const attribute = (span: OtlpSpan, key: string) =>
  Object.values(span.attributes?.find((entry) => entry.key === key)?.value ?? {})[0];

describe("the subscription fan-out's span", () => {
  it("continues the trace of the event's producer, links to it, and parents the payload executions", async () => {
    const carried = natsHeaders();
    carried.set("traceparent", `00-${producerTrace}-${producerSpan}-01`);
    carried.set("x-unrelated", "not trace context");
    const event = feedEvent(carried, "0b7c1d3e-0000-4000-8000-000000000001");
    expect(event.traceHeaders).toEqual({ traceparent: `00-${producerTrace}-${producerSpan}-01` });

    const traced = startEventSpan(event, 2);
    inEventSpan(traced, () => askyTracer().startSpan("gateway.request").end());
    traced.end(true);
    // An event published untraced: a trace of its own, no link.
    const untraced = startEventSpan(feedEvent(undefined, "0b7c1d3e-0000-4000-8000-000000000002"), 1);
    untraced.end(false);
    await telemetry.shutdown();

    const process = received.find((span) => attribute(span, "messaging.message.id")?.toString().endsWith("0001"));
    expect(process).toBeDefined();
    expect(process!.name).toBe("process asky.requests.status_changed");
    expect(process!.kind).toBe(CONSUMER);
    expect(process!.traceId).toBe(producerTrace);
    expect(process!.parentSpanId).toBe(producerSpan);
    expect(process!.links?.map((link) => [link.traceId, link.spanId])).toEqual([[producerTrace, producerSpan]]);
    expect(attribute(process!, "messaging.system")).toBe("nats");
    expect(attribute(process!, "messaging.operation.type")).toBe("process");
    expect(attribute(process!, "messaging.destination.name")).toBe("asky.requests.status_changed");

    const execution = received.find((span) => span.name === "gateway.request");
    expect(execution?.traceId).toBe(producerTrace);
    expect(execution?.parentSpanId).toBe(process!.spanId);

    const alone = received.find((span) => attribute(span, "messaging.message.id")?.toString().endsWith("0002"));
    expect(alone).toBeDefined();
    expect(alone!.traceId).not.toBe(producerTrace);
    expect(alone!.parentSpanId ?? "").toBe("");
    expect(alone!.links ?? []).toEqual([]);
  });
});
