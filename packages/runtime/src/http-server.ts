import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { metricsRoute, serveTraced } from "@asky/telemetry";
import type { Logger } from "./logger.js";
import { ErrorCode } from "./errors.js";
import { requestIdFrom, runWithRequestId } from "./request-context.js";
import { RefusedRequest } from "./refusal.js";
import type { GraphQLRequestParts } from "./operation-limits/operation-guard.js";
import { sendJson } from "./send-json.js";
import { EventLoopWatch } from "./event-loop-watch.js";
import { LIVENESS_PATH, LIVENESS_WINDOW_MS, livenessRoute, type LivenessOptions } from "./probe-routes.js";

/**
 * A small node:http host for Apollo Server. Apollo Server 5 no longer ships Express, and
 * every Asky process needs the same three things around GraphQL (a body limit, a
 * correlation id, a few plain routes such as /health), so this is the one adapter all
 * services share instead of each pulling a web framework. It serves the liveness route
 * (probe-routes.ts) itself, so that every service answers it the same way.
 */
/** Every service's Prometheus metrics, behind its METRICS_TOKEN. */
export const METRICS_PATH = "/metrics";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * Checks a GraphQL request must pass before Apollo Server sees it. Each throws a
 * RefusedRequest, answered as is: refusing early is the point, since parsing and validating
 * a hostile document is itself the work an attacker wants the server to do.
 */
export interface HttpAdmission {
  /** Before the body is read (rate limits); returns the body limit for this caller. */
  beforeBody(req: IncomingMessage): Promise<{ maxBodyBytes: number }> | { maxBodyBytes: number };
  /** With the request's query, operationName, variables and extensions, before parsing by Apollo. */
  check(request: GraphQLRequestParts, req: IncomingMessage): void;
}

export interface HttpHostOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (req: IncomingMessage) => Promise<TContext>;
  logger: Logger;
  graphqlPath?: string;
  /** Extra routes by exact path, e.g. `/health`. */
  routes?: Readonly<Record<string, RouteHandler>>;
  /** The liveness route's event-loop bound (LIVENESS_MAX_EVENT_LOOP_DELAY_MS). */
  liveness: LivenessOptions;
  /** Extra routes by path prefix, e.g. `/explorer/` for static files; exact routes win. */
  prefixRoutes?: Readonly<Record<string, RouteHandler>>;
  /** Served instead of GraphQL when a browser GETs the GraphQL path without a query. */
  landingPage?: RouteHandler;
  maxBodyBytes?: number;
  admission?: HttpAdmission;
  /**
   * Bearer token of `/metrics` (METRICS_TOKEN); without one the route answers 404 like any
   * unknown path, so metrics are never public by omission.
   */
  metricsToken?: string;
  port: number;
  host: string;
}

export interface RunningHttpServer {
  readonly server: http.Server;
  readonly url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendHttpError(res: ServerResponse, status: number, message: string): void {
  const code = status >= 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT;
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

function bodyTooLarge(limit: number): RefusedRequest {
  return new RefusedRequest(413, ErrorCode.BAD_USER_INPUT, `Request body larger than ${limit} bytes`, {
    reason: "MAX_BODY_BYTES",
    limit,
  });
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw bodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw bodyTooLarge(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function jsonParam(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // Apollo Server answers malformed GET parameters in its own words.
    return undefined;
  }
}

/** The GraphQL parts of a POST body or of a GET query string; batches are Apollo's to refuse. */
function requestParts(body: unknown, search: URLSearchParams): GraphQLRequestParts | undefined {
  if (body === undefined) {
    return {
      query: search.get("query") ?? undefined,
      operationName: search.get("operationName") ?? undefined,
      variables: jsonParam(search.get("variables")),
      extensions: jsonParam(search.get("extensions")),
    };
  }
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as GraphQLRequestParts) : undefined;
}

async function parseBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (req.method !== "POST") return undefined;
  const raw = await readBody(req, limit);
  const contentType = req.headers["content-type"] ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) return raw;
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function wantsHtml(req: IncomingMessage, search: string): boolean {
  return req.method === "GET" && !search.includes("query=") && (req.headers.accept ?? "").includes("text/html");
}

export async function startHttpHost<TContext extends BaseContext>(
  options: HttpHostOptions<TContext>,
): Promise<RunningHttpServer> {
  const { apollo, logger } = options;
  const graphqlPath = options.graphqlPath ?? "/graphql";
  const limit = options.maxBodyBytes ?? 1_000_000;
  // Plain routes bypass admission (rate limits, body limits) and are never logged per request.
  const routes: Record<string, RouteHandler> = { ...options.routes };

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    res.setHeader("x-request-id", requestId);
    const route =
      routes[url.pathname] ??
      Object.entries(options.prefixRoutes ?? {}).find(([prefix]) => url.pathname.startsWith(prefix))?.[1];
    if (route) return route(req, res);
    if (url.pathname !== graphqlPath) return sendHttpError(res, 404, "Not found");
    if (options.landingPage && wantsHtml(req, url.search)) return options.landingPage(req, res);

    const admitted = options.admission ? await options.admission.beforeBody(req) : { maxBodyBytes: limit };
    const body = await parseBody(req, admitted.maxBodyBytes);
    if (options.admission) {
      const parts = requestParts(body, url.searchParams);
      if (parts) options.admission.check(parts, req);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? "GET").toUpperCase(),
        headers: toHeaderMap(req),
        search: url.search,
        body,
      },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  // Only GraphQL requests are traced and timed: probes and metric scrapes every few seconds
  // would bury them, and their health is what the routes themselves report.
  const serve = (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> =>
    (req.url ?? "/").split("?", 1)[0] === graphqlPath
      ? serveTraced(req, res, graphqlPath, () => handle(req, res, requestId))
      : handle(req, res, requestId);

  const server = http.createServer((req, res) => {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    runWithRequestId(requestId, () => serve(req, res, requestId)).catch((error: unknown) => {
      if (error instanceof HttpError) return sendHttpError(res, error.status, error.message);
      if (error instanceof RefusedRequest) return sendJson(res, error.status, error.body(), error.headers);
      logger.error({ err: error, correlationId: requestId }, "unhandled HTTP error");
      if (!res.headersSent) {
        sendJson(res, 500, {
          errors: [
            {
              message: "Internal server error",
              extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId: requestId },
            },
          ],
        });
      } else {
        res.destroy();
      }
    });
  });
  // Slow-loris guard: a client must send its headers and body promptly.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // Keep idle connections (the gateway's pooled calls to subgraphs) longer than Node's 5 s,
  // so they are rarely closed just as the other side reuses them.
  server.keepAliveTimeout = 30_000;

  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer: server }));
  await apollo.start();
  // Watched from here on: blocks while starting (the gateway builds its query planner in
  // apollo.start()) come before the process listens, where only the startup probe waits.
  const watch = new EventLoopWatch({
    maxDelayMs: options.liveness.maxEventLoopDelayMs,
    windowMs: LIVENESS_WINDOW_MS,
    logger,
  });
  // Last, so no service's own routes can shadow them.
  routes[LIVENESS_PATH] = livenessRoute(watch, options.liveness);
  routes[METRICS_PATH] = metricsRoute(options.metricsToken ?? "");
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    watch.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${address.port}${graphqlPath}`;
  logger.info({ url }, "listening");
  return {
    server,
    url,
    async close() {
      // apollo.stop() drains the HTTP server through the plugin registered above.
      try {
        await apollo.stop();
      } finally {
        watch.close();
      }
    },
  };
}
