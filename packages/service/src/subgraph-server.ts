import type { IncomingMessage } from "node:http";
import type { DocumentNode } from "graphql";
import { graphqlTelemetryPlugin } from "@asky/telemetry";
import { ApolloServer, type BaseContext } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema, type GraphQLResolverMap } from "@apollo/subgraph";
import {
  createErrorFormatter,
  HEALTH_PATH,
  sendJson,
  startHttpHost,
  type RouteHandler,
  type RunningHttpServer,
  OperationGuard,
} from "@asky/runtime";
import type { Logger, OperationLimits, Variables } from "@asky/runtime";
import type { RevocationFeedState } from "@asky/auth";
import type { FieldNode } from "graphql";

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /**
   * The subgraph's codegen `Resolvers<TContext>` map. Federation's reference resolvers
   * take (reference, context, info), which @apollo/subgraph's own map type cannot express,
   * so the typed map is checked where it is built and passed through here as is.
   */
  resolvers: object;
  context: (req: IncomingMessage) => Promise<TContext>;
  /** Throws when a dependency the subgraph needs (Postgres, NATS) is unavailable. */
  health: () => Promise<void>;
  revocationFeed: () => RevocationFeedState;
  logger: Logger;
  port: number;
  host: string;
  production: boolean;
  /** What one operation may cost; see subgraphLimits. */
  limits: OperationLimits;
  /** The liveness route's bound (LIVENESS_MAX_EVENT_LOOP_DELAY_MS); the HTTP host serves the route. */
  maxEventLoopDelayMs: number;
  /** METRICS_TOKEN: /metrics answers only to it. */
  metricsToken: string;
  routes?: Readonly<Record<string, RouteHandler>>;
}

/** Body limit of a subgraph: its callers are Asky services, whose entity batches can be large. */
const subgraphMaxBodyBytes = 1_000_000;

/**
 * A subgraph defends itself with the gateway's limits (anything on the network may reach
 * its port), one level deeper: the gateway wraps entity fetches in `_entities`.
 */
export function subgraphLimits(limits: OperationLimits): OperationLimits {
  return { ...limits, maxDepth: limits.maxDepth + 1 };
}

/** `_entities` resolves one entity per representation the caller sent. */
function entitiesListSize(parent: string, field: FieldNode, variables: Variables): number | undefined {
  if (parent !== "Query" || field.name.value !== "_entities") return undefined;
  const argument = field.arguments?.find((node) => node.name.value === "representations");
  if (!argument) return 0;
  if (argument.value.kind === "Variable") {
    const value = variables[argument.value.name.value];
    return Array.isArray(value) ? value.length : 0;
  }
  return argument.value.kind === "ListValue" ? argument.value.values.length : 1;
}

/**
 * A stale revocation feed makes the status "degraded" but keeps the 200, as at the gateway:
 * revoked tokens are still refused (the users service is asked instead).
 */
export function healthRoute(
  check: () => Promise<void>,
  logger: Logger,
  revocationFeed: () => RevocationFeedState,
): RouteHandler {
  return async (_req, res) => {
    try {
      await check();
      const feed = revocationFeed();
      sendJson(
        res,
        200,
        { status: feed === "current" ? "ok" : "degraded", revocationFeed: feed },
        { "cache-control": "no-store" },
      );
    } catch (error) {
      logger.warn({ err: error }, "health check failed");
      sendJson(res, 503, { status: "unavailable" }, { "cache-control": "no-store" });
    }
  };
}

/** The one way every Asky subgraph is served, so the three behave identically. */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const { logger } = options;
  const schema = buildSubgraphSchema([
    { typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> },
  ]);
  const guard = new OperationGuard({
    schema: () => schema,
    limits: subgraphLimits(options.limits),
    listSize: entitiesListSize,
  });
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // Compact JSON: the default pretty-prints every response, which the gateway only parses.
    stringifyResult: JSON.stringify,
    introspection: !options.production,
    // Both default plugins hook every resolved field: cache hints nobody reads (answers are
    // per person and never cached by HTTP), and Apollo Studio traces Asky does not send.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      graphqlTelemetryPlugin(),
    ],
    logger,
  });
  return startHttpHost({
    apollo,
    context: options.context,
    logger,
    port: options.port,
    host: options.host,
    routes: { [HEALTH_PATH]: healthRoute(options.health, logger, options.revocationFeed), ...options.routes },
    liveness: { maxEventLoopDelayMs: options.maxEventLoopDelayMs },
    metricsToken: options.metricsToken,
    admission: {
      beforeBody: () => ({ maxBodyBytes: subgraphMaxBodyBytes }),
      check: (request) => void guard.admit(request),
    },
  });
}
