import { headers as natsHeaders, type MsgHdrs } from "@nats-io/transport-node";
import type { TraceHeaders } from "@asky/telemetry";

/** The W3C trace context headers; nothing else of a message's headers is trace context. */
const traceHeaderNames = ["traceparent", "tracestate"] as const;

function nonEmpty(found: Record<string, string>): TraceHeaders | undefined {
  return Object.keys(found).length > 0 ? found : undefined;
}

/**
 * The trace context stored with an outbox row (its `headers` jsonb), checked: the column is
 * written by appendEvent only, but a row edited by hand must not break the relay.
 */
export function storedTraceHeaders(value: unknown): TraceHeaders | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const found: Record<string, string> = {};
  for (const name of traceHeaderNames) {
    const header = (value as Record<string, unknown>)[name];
    if (typeof header === "string" && header !== "") found[name] = header;
  }
  return nonEmpty(found);
}

/** What appendEvent stores: null rather than `{}` when there is no trace, so untraced rows stay small. */
export function traceHeadersToStore(current: TraceHeaders): string | null {
  return Object.keys(current).length > 0 ? JSON.stringify(current) : null;
}

/** NATS headers carrying `trace`, or undefined when there is none (tracing off): nothing extra is sent. */
export function natsTraceHeaders(trace: TraceHeaders): MsgHdrs | undefined {
  let carried: MsgHdrs | undefined;
  for (const name of traceHeaderNames) {
    const value = trace[name];
    if (value === undefined || value === "") continue;
    carried ??= natsHeaders();
    carried.set(name, value);
  }
  return carried;
}

/**
 * The trace context a JetStream message carries, for a consumer to continue (or the gateway's
 * subscription fan-out to link to); undefined when it carries none.
 */
export function traceHeadersOfMessage(headers: MsgHdrs | undefined): TraceHeaders | undefined {
  if (!headers) return undefined;
  const found: Record<string, string> = {};
  for (const name of traceHeaderNames) {
    // MsgHdrs.get answers "" for a header that is absent.
    const value = headers.get(name);
    if (value !== "") found[name] = value;
  }
  return nonEmpty(found);
}
