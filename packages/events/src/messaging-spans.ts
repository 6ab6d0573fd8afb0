import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import type { JsMsg } from "@nats-io/jetstream";
import {
  askyTracer,
  contextFromHeaders,
  currentTraceHeaders,
  linkFromHeaders,
  type TraceHeaders,
} from "@asky/telemetry";
import { traceHeadersOfMessage } from "./trace-headers.js";

/**
 * `messaging.system` is what tracing backends' messaging views still read; semantic
 * conventions 1.45 renamed it `messaging.system.name`. Both, until the backends catch up.
 */
const nats = { "messaging.system": "nats", "messaging.system.name": "nats" } as const;

/**
 * The context a span of the relay or of a consumer continues: the trace the event carries,
 * never whatever was active when the relay or consumer loop started (which would make every
 * untraced event a child of that), and a fresh trace when the event carries none.
 */
function carriedContext(carried: TraceHeaders | undefined): Context {
  return context.with(ROOT_CONTEXT, () => (carried ? contextFromHeaders(carried) : ROOT_CONTEXT));
}

/** `error.type` of a failure: its code (a SQLSTATE, say) or class, never its message. */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code !== "") return code;
  return error instanceof Error ? error.name : "error";
}

export function failSpan(span: Span, type: string): void {
  span.setAttribute("error.type", type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

export interface PublishedEvent {
  readonly id: string;
  readonly subject: string;
  /** The trace context stored with the outbox row: the request that wrote the event. */
  readonly trace: TraceHeaders | undefined;
}

/**
 * Runs one publish inside a PRODUCER span `publish <subject>` that continues the trace of the
 * request that wrote the event, and hands `publish` the span's own context to send along, so
 * that the consumers' spans become its children. With tracing off the span is the API's no-op
 * and the context empty: nothing is recorded or sent.
 */
export async function inPublishSpan<T>(
  event: PublishedEvent,
  publish: (trace: TraceHeaders) => Promise<T>,
): Promise<T> {
  const parent = carriedContext(event.trace);
  const span = askyTracer().startSpan(
    `publish ${event.subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...nats,
        "messaging.operation.type": "send",
        "messaging.operation.name": "publish",
        "messaging.destination.name": event.subject,
        "messaging.message.id": event.id,
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  try {
    return await context.with(active, () => publish(currentTraceHeaders(active)));
  } catch (error) {
    failSpan(span, errorType(error));
    throw error;
  } finally {
    span.end();
  }
}

export interface ProcessSpan {
  readonly span: Span;
  /** The span's context, for the handling (and its SQL spans) to run in. */
  readonly context: Context;
}

/**
 * A CONSUMER span `process <subject>` for one delivery of a message to a durable consumer,
 * child of the relay's publish span carried in the message's headers and linked to it too
 * (backends that start a new trace per consumer still lead back to the producer). Each
 * delivery is a span of its own: a redelivery shows as a second one with a higher count.
 */
export function startProcessSpan(message: JsMsg, durable: string): ProcessSpan {
  const carried = traceHeadersOfMessage(message.headers);
  const parent = carriedContext(carried);
  const span = askyTracer().startSpan(
    `process ${message.subject}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...nats,
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": message.subject,
        "messaging.consumer.group.name": durable,
        // Semantic conventions have no system-neutral delivery count; this follows the
        // system-specific ones (messaging.servicebus.message.delivery_count).
        "messaging.nats.message.delivery_count": message.info.deliveryCount,
      },
      links: linkFromHeaders(carried),
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}
