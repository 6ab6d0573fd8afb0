import { GraphQLError } from "graphql";
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { trace } from "@opentelemetry/api";
import { collapseRepresentations } from "./entity-representations.js";
import { currentRequestId, ErrorCode, type Logger } from "@asky/runtime";
import { InternalTokenCache, signInternalToken, type SigningKey } from "@asky/auth";
import type { GatewayContext } from "./context.js";
import { createSubgraphFetcher, SHAREABLE_HEADER } from "./subgraph-fetcher.js";
import { subgraphUnavailable, SubgraphUnreachableError, unavailableStatuses } from "./subgraph-unavailable.js";
import type { GatewayMetrics } from "./metrics.js";

/**
 * Calls one subgraph on behalf of the client: the client's access token never leaves
 * the gateway; the subgraph receives a short-lived token for its own audience instead,
 * plus the correlation id so a failure can be followed from gateway log to subgraph log,
 * and the W3C trace context so that its spans join the client's trace.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly tokens: InternalTokenCache;
  private readonly name: string;
  private readonly shareReads: boolean;
  private readonly logger: Logger;

  constructor(options: {
    name: string;
    url: string;
    key: SigningKey;
    metrics: GatewayMetrics;
    shareReads: boolean;
    /** SUBGRAPH_TIMEOUT_MS: one call's limit before the client gets SUBGRAPH_UNAVAILABLE. */
    timeoutMs: number;
    logger: Logger;
  }) {
    const { metrics } = options;
    const subgraph = { subgraph: options.name };
    super({
      url: options.url,
      fetcher: createSubgraphFetcher({
        timeoutMs: options.timeoutMs,
        onSent: () => metrics.subgraphRequests.add(1, subgraph),
        onShared: () => {
          metrics.subgraphRequestsShared.add(1, subgraph);
          // No subgraph call under this fetch's span: it took the answer of another fetch's call.
          trace.getActiveSpan()?.setAttribute("asky.subgraph.shared_call", true);
        },
        onSettled: (seconds, ok) =>
          metrics.subgraphRequestDuration.record(seconds, { ...subgraph, outcome: ok ? "ok" : "error" }),
      }),
    });
    // Every subgraph's series from the start, at 0, so that rate() sees its first call.
    metrics.subgraphRequests.add(0, subgraph);
    metrics.subgraphRequestsShared.add(0, subgraph);
    this.name = options.name;
    this.shareReads = options.shareReads;
    this.logger = options.logger;
    this.tokens = new InternalTokenCache((subject) =>
      signInternalToken(options.key, { issuer: "gateway", audience: options.name, ...subject }),
    );
  }

  /**
   * @apollo/gateway sends one representation per occurrence (a ward board names the same
   * nurse, cabinet and medicines many times over); the subgraph gets each entity once and the
   * answer is spread back over the occurrences, so nothing downstream can tell.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    try {
      const collapsed = collapseRepresentations(options.request.variables);
      if (!collapsed) return await super.process(options);
      options.request.variables = collapsed.variables;
      return collapsed.expand(await super.process(options));
    } catch (error) {
      if (!(error instanceof SubgraphUnreachableError)) throw error;
      // Thrown, the error fails only this fetch: the query plan goes on with the others,
      // so the client still gets what the other subgraphs resolved.
      const correlationId = currentRequestId();
      this.logger.warn({ subgraph: this.name, correlationId, err: error.cause }, "subgraph unavailable");
      throw subgraphUnavailable(correlationId);
    }
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const { request, context } = options;
    const headers = request.http?.headers;
    if (!headers) return;
    // Fetches planned for a client query only read: identical ones in flight may share one call.
    const read = "incomingRequestContext" in options && options.incomingRequestContext.operation?.operation === "query";
    if (this.shareReads && read) headers.set(SHAREABLE_HEADER, "1");
    // Health checks and schema loading run without an operation context.
    const gatewayContext = "requestId" in context ? (context as GatewayContext) : null;
    if (gatewayContext) headers.set("x-request-id", gatewayContext.requestId);
    // No traceparent here: the shared HTTP client (@asky/runtime) adds the active context's to
    // every call, and this runs inside @apollo/gateway's `gateway.fetch` span, so the subgraph's
    // server span becomes its child. A call shared with identical ones in flight
    // (subgraph-fetcher.ts) carries the first caller's context; the others' fetch spans are marked.
    const token = await this.tokens.get({
      viewer: gatewayContext?.viewer ?? null,
      clientIp: gatewayContext?.clientIp ?? null,
      sessionId: gatewayContext?.sessionId ?? null,
      accessIssuedAtMs: gatewayContext?.accessIssuedAtMs ?? null,
    });
    headers.set("authorization", `Bearer ${token}`);
  }

  /**
   * A subgraph that refuses a request with HTTP 400 (e.g. a variable its scalar rejects)
   * is answering the client: its first error's message and contract code pass through.
   * A 502, 503 or 504 (a proxy with no ready replica behind it) is SUBGRAPH_UNAVAILABLE.
   * Anything else (a 401 on our own internal token, a 500) is the system's fault and must
   * not show clients the subgraph's URL or body, so it becomes a plain error that the
   * formatter masks and logs with the correlation id.
   */
  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource["errorFromResponse"]>[0],
  ): Promise<GraphQLError> {
    const body: unknown = await response.json().catch(() => null);
    const first = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null)?.errors?.[0];
    if (
      response.status === 400 &&
      first &&
      typeof first.message === "string" &&
      first.extensions?.code === ErrorCode.BAD_USER_INPUT
    ) {
      return new GraphQLError(first.message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    }
    // Thrown rather than returned: Apollo rethrows either, and process() maps this one.
    if (unavailableStatuses.has(response.status))
      throw new SubgraphUnreachableError(new Error(`HTTP ${response.status}`));
    return new GraphQLError(`subgraph ${this.name} answered HTTP ${response.status}`, {
      extensions: { subgraph: this.name, status: response.status },
    });
  }
}
