import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, SpanKind, SpanStatusCode, trace, type Histogram } from "@opentelemetry/api";
import { BoundedLabel } from "./bounded-label.js";
import { contextFromHeaders } from "./trace-context.js";
import { askyMeter, askyTracer, secondsBuckets } from "./tracer.js";

/**
 * What the GraphQL layer learns about the HTTP request it serves (the operation, the first
 * error code), written by the Apollo plugin and read when the response ends, so that the
 * span and the latency histogram of one request carry them.
 */
export interface GraphQLRequestFacts {
  operationName?: string;
  operationType?: string;
  errorCode?: string;
}

const facts = new AsyncLocalStorage<GraphQLRequestFacts>();

/** The facts of the HTTP request being served, for the Apollo plugin to fill in. */
export function currentGraphQLFacts(): GraphQLRequestFacts | undefined {
  return facts.getStore();
}

/** Operation names come from clients; 200 distinct ones are plenty for the contract's operations. */
const operationNames = new BoundedLabel(200);
/** Error codes come from this code and the subgraphs, but a bound costs nothing. */
const errorCodes = new BoundedLabel(50, /^[A-Z][A-Z0-9_]{0,49}$/);

let duration: Histogram | null = null;

function requestDuration(): Histogram {
  duration ??= askyMeter().createHistogram("http_server_request_duration_seconds", {
    description: "Duration of HTTP requests served, by route, status, GraphQL operation and error code",
    unit: "s",
    advice: { explicitBucketBoundaries: secondsBuckets },
  });
  return duration;
}

/**
 * Serves one HTTP request inside a SERVER span that continues the caller's W3C trace (a client's
 * `traceparent`, or the gateway's on a subgraph fetch), and records its duration when the
 * response ends. `route` is the matched route, never the raw URL: query strings can carry a
 * whole GraphQL document with its variables.
 */
export function serveTraced(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  serve: () => Promise<void>,
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const parent = contextFromHeaders(req.headers);
  const span = askyTracer().startSpan(
    `${method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": method, "http.route": route, "url.path": route, "url.scheme": "http" },
    },
    parent,
  );
  const started = performance.now();
  const known: GraphQLRequestFacts = {};
  res.once("close", () => {
    const status = res.statusCode;
    const operationName = operationNames.of(known.operationName);
    const errorCode = errorCodes.of(known.errorCode);
    span.setAttribute("http.response.status_code", status);
    if (operationName) span.setAttribute("graphql.operation.name", operationName);
    if (known.operationType) span.setAttribute("graphql.operation.type", known.operationType);
    if (errorCode) span.setAttribute("error.type", errorCode);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    requestDuration().record((performance.now() - started) / 1_000, {
      "http.request.method": method,
      "http.route": route,
      "http.response.status_code": status,
      "graphql.operation.name": operationName,
      "graphql.operation.type": known.operationType ?? "",
      "error.type": errorCode,
    });
  });
  return context.with(trace.setSpan(parent, span), () => facts.run(known, serve));
}
