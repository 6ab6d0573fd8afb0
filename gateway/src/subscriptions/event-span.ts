import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from "@opentelemetry/api";
import { askyTracer, contextFromHeaders, linkFromHeaders } from "@asky/telemetry";
import type { FeedEvent } from "./feed-event.js";

/** One live event's handling by the gateway, traced; see startEventSpan. */
export interface EventSpan {
  /** Where the event's payload executions run, so that their spans are the event span's children. */
  readonly context: Context;
  /** Ends the span once every group has had the event; `ok` false when any failed. */
  end(ok: boolean): void;
}

/**
 * A CONSUMER span for resolving one event's payloads and writing them to its subscribers,
 * following OTel's messaging conventions. Its parent is the span that published the event
 * (the W3C context its producer put in the message's headers), so the mutation that made a
 * change and the screens it reached are one trace; the same context is linked too, as the
 * conventions ask of a consumer, for backends that show traces per process. Ids and the
 * subject only: never the event's data.
 */
export function startEventSpan(event: FeedEvent, groups: number): EventSpan {
  // The event's own trace, never whatever the feed's read loop had active, and a trace of its
  // own when the event carries none (published untraced, or by a process that does not trace).
  const producer = context.with(ROOT_CONTEXT, () => contextFromHeaders(event.traceHeaders));
  const span = askyTracer().startSpan(
    `process ${event.subject}`,
    {
      kind: SpanKind.CONSUMER,
      links: linkFromHeaders(event.traceHeaders),
      attributes: {
        // `messaging.system.name` since semantic conventions 1.45; backends still read the old name.
        "messaging.system": "nats",
        "messaging.system.name": "nats",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": event.subject,
        "messaging.message.id": event.eventId,
        "asky.subscription.groups": groups,
      },
    },
    producer,
  );
  return {
    context: trace.setSpan(producer, span),
    end(ok) {
      if (!ok) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** Runs `work` inside the event span's context. */
export function inEventSpan<T>(eventSpan: EventSpan, work: () => T): T {
  return context.with(eventSpan.context, work);
}
