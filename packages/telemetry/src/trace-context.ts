import { context, propagation, trace, type Context, type Link } from "@opentelemetry/api";

/**
 * W3C trace context as plain headers, for what crosses a process boundary outside HTTP: an
 * event's outbox row and its NATS message. Empty when tracing is off (the API's propagator is
 * a no-op then), so nothing is stored or sent for it.
 */
export type TraceHeaders = Readonly<Record<string, string>>;

export function currentTraceHeaders(from: Context = context.active()): TraceHeaders {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** Reads `traceparent`/`tracestate` out of anything header-like, into a context to continue. */
export function contextFromHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>> | undefined,
): Context {
  if (!headers) return context.active();
  return propagation.extract(context.active(), headers, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => {
      const found = carrier[key];
      return Array.isArray(found) ? found[0] : found;
    },
  });
}

/** A span link to the producer of an event, when its headers carry one. */
export function linkFromHeaders(headers: TraceHeaders | undefined): Link[] {
  if (!headers) return [];
  const producer = trace.getSpanContext(contextFromHeaders(headers));
  return producer && trace.isSpanContextValid(producer) ? [{ context: producer }] : [];
}

/** `trace_id` and `span_id` of the active span, for log lines; empty when none is recording. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
}
