import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { SpanKind, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import type { NatsConnection } from "@nats-io/transport-node";
import type {} from "@asky/stack/testing";
import { createEnvelope, type EventEnvelope } from "@asky/contracts";
import {
  commitEvent,
  eventually,
  readStream,
  startEventsPipeline,
  type EventSchemaFixture,
  type EventsPipeline,
} from "./events-fixtures.js";
import { registerTestTelemetry, type TestTelemetry } from "./telemetry-fixtures.js";

const SUBJECT = "asky.test.traced";

let telemetry: TestTelemetry;
let pipeline: EventsPipeline;
let fixture: EventSchemaFixture;
let nc: NatsConnection;

beforeAll(async () => {
  telemetry = registerTestTelemetry();
  pipeline = await startEventsPipeline({
    connectionName: "events-tracing-test",
    consumer: {
      durable: "test-traced",
      subject: SUBJECT,
      parse: (data) => data,
      handle: async (event, tx, fixture) => {
        // Stands for the handler's SQL spans: whatever it traces is a child of the consumer's span.
        const span = trace.getTracer("events-tracing-test").startSpan("handler work");
        await tx.execute(sql`insert into ${sql.identifier(fixture.name)}.effects (event_id) values (${event.id})`);
        span.end();
      },
    },
  });
  ({ fixture, nc } = pipeline);
});

afterAll(async () => {
  await pipeline?.close();
  await telemetry?.shutdown();
});

async function storedHeaders(id: string): Promise<unknown> {
  const { rows } = await fixture.db.execute<{ headers: unknown }>(
    sql`select headers from ${fixture.tables.outbox} where id = ${id}`,
  );
  return rows[0]?.headers;
}

/** The event's span named `name`, once it has ended. */
function spanOf(name: string, eventId: string): Promise<ReadableSpan> {
  return eventually(
    async () =>
      telemetry.spans().find((span) => span.name === name && span.attributes["messaging.message.id"] === eventId),
    15_000,
    `the span "${name}" of ${eventId}`,
  );
}

const commit = (envelope: EventEnvelope) => commitEvent(fixture, envelope);

describe("trace context through the outbox", () => {
  it("joins the relay's publish and the consumer's handling to the trace of the request that wrote the event", async () => {
    const envelope = createEnvelope(SUBJECT, { note: "traced" });
    const tracer = trace.getTracer("events-tracing-test");
    const { traceId, spanId: requestSpanId } = await tracer.startActiveSpan("POST /graphql", async (span) => {
      await commit(envelope);
      span.end();
      return span.spanContext();
    });

    // The outbox row keeps the writer's context, in the same statement as the event.
    expect(await storedHeaders(envelope.id)).toEqual({ traceparent: `00-${traceId}-${requestSpanId}-01` });

    const publish = await spanOf(`publish ${SUBJECT}`, envelope.id);
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.spanContext().traceId).toBe(traceId);
    expect(publish.parentSpanContext?.spanId).toBe(requestSpanId);
    expect(publish.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.operation.type": "send",
      "messaging.operation.name": "publish",
      "messaging.destination.name": SUBJECT,
      "messaging.message.id": envelope.id,
    });

    // The message carries the publish span's context, next to the msgID.
    const [streamed] = (await readStream(nc)).filter((event) => event.eventId === envelope.id);
    expect(streamed?.msgId).toBe(envelope.id);
    expect(streamed?.traceparent).toBe(`00-${traceId}-${publish.spanContext().spanId}-01`);

    const processed = await spanOf(`process ${SUBJECT}`, envelope.id);
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.spanContext().traceId).toBe(traceId);
    expect(processed.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(processed.links.map((link) => link.context.spanId)).toEqual([publish.spanContext().spanId]);
    expect(processed.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.operation.type": "process",
      "messaging.destination.name": SUBJECT,
      "messaging.consumer.group.name": "test-traced",
      "messaging.message.id": envelope.id,
      "messaging.nats.message.delivery_count": 1,
    });

    const work = telemetry
      .spans()
      .find(
        (span) => span.name === "handler work" && span.parentSpanContext?.spanId === processed.spanContext().spanId,
      );
    expect(work?.spanContext().traceId, "the handler's own spans are children of the consumer's").toBe(traceId);
  });

  it("stores and sends no context for an event written outside any trace, and starts a trace at the relay", async () => {
    const envelope = createEnvelope(SUBJECT, { note: "untraced" });
    await commit(envelope);
    expect(await storedHeaders(envelope.id)).toBeNull();

    const publish = await spanOf(`publish ${SUBJECT}`, envelope.id);
    expect(publish.parentSpanContext).toBeUndefined();
    const processed = await spanOf(`process ${SUBJECT}`, envelope.id);
    expect(processed.spanContext().traceId).toBe(publish.spanContext().traceId);
    expect(processed.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
  });
});
