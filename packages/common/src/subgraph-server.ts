import type { IncomingMessage } from "node:http";
import type { DocumentNode } from "graphql";
import type { NatsConnection } from "@nats-io/transport-node";
import { ApolloServer, type BaseContext } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import { createErrorFormatter } from "./errors.js";
import { createInternalTokenVerifier, type InternalIdentity } from "./auth/internal-token.js";
import { KeyConfigError, loadSigningKeys, type SigningKeys } from "./auth/signing-keys.js";
import { startRevocationChecks, type RevocationFeedState } from "./revocation/revocation-checks.js";
import type { SessionStatusSource } from "./revocation/session-checks.js";
import { usersServiceSessions } from "./revocation/session-status-client.js";
import { internalAuthenticator } from "./subgraph-authenticator.js";
import { sendJson, startHttpHost, type RouteHandler, type RunningHttpServer } from "./http-server.js";
import type { Logger } from "./logger.js";
import { createDatabase, type Database } from "./database.js";
import { closeAll, type Closeable } from "./run-service.js";
import { loadTypeDefs } from "./schema-file.js";
import { traceQueries } from "./sql-trace.js";
import { OperationGuard } from "./operation-limits/operation-guard.js";
import { operationLimitsOf, type OperationLimits } from "./operation-limits/limits.js";
import type { FieldNode } from "graphql";
import type { Variables } from "./operation-limits/measure-operation.js";

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
export function healthRoute(check: () => Promise<void>, logger: Logger, revocationFeed: () => RevocationFeedState): RouteHandler {
  return async (_req, res) => {
    try {
      await check();
      const feed = revocationFeed();
      sendJson(res, 200, { status: feed === "current" ? "ok" : "degraded", revocationFeed: feed }, { "cache-control": "no-store" });
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
  const schema = buildSubgraphSchema({
    typeDefs: options.typeDefs,
    resolvers: options.resolvers as GraphQLResolverMap<unknown>,
  });
  const guard = new OperationGuard({ schema: () => schema, limits: subgraphLimits(options.limits), listSize: entitiesListSize });
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // Compact JSON: the default pretty-prints every response, which the gateway only parses.
    stringifyResult: JSON.stringify,
    introspection: !options.production,
    // Both default plugins hook every resolved field: cache hints nobody reads (answers are
    // per person and never cached by HTTP), and Apollo Studio traces Asky does not send.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled()],
    logger,
  });
  return startHttpHost({
    apollo,
    context: options.context,
    logger,
    port: options.port,
    host: options.host,
    routes: { "/health": healthRoute(options.health, logger, options.revocationFeed), ...options.routes },
    admission: {
      beforeBody: () => ({ maxBodyBytes: subgraphMaxBodyBytes }),
      check: (request) => void guard.admit(request),
    },
  });
}

/** Configuration every subgraph reads; see `subgraphEnv`. */
export interface SubgraphServiceConfig {
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: "development" | "production" | "test";
  readonly signingJwks: string;
  readonly trustedJwks: string;
  readonly keysDir: string;
  readonly statementTimeoutMs: number;
  readonly connectionsPerOperation: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  readonly watermarkIntervalMs: number;
  readonly feedMaxAgeMs: number;
  readonly sessionCheckCacheMs: number;
  readonly sessionCheckTimeoutMs: number;
}

/**
 * Who vouches for a person's access token while the subgraph's revocation feed is not proven
 * current: the users service over HTTP, or, in the users service itself, its own database.
 */
export type SessionVoucher<TSchema extends Record<string, unknown>> =
  | { readonly kind: "users-service"; readonly usersUrl: string }
  | { readonly kind: "local"; readonly source: (runtime: SubgraphRuntime<TSchema>) => SessionStatusSource };

/** What a subgraph's context factory is built from. */
export interface SubgraphRuntime<TSchema extends Record<string, unknown>> {
  readonly database: Database<TSchema>;
  readonly logger: Logger;
  /** This service's signing keys (first one active), for tokens it issues. */
  readonly keys: SigningKeys;
}

export interface ServeSubgraphOptions<TSchema extends Record<string, unknown>, TContext extends BaseContext> {
  name: string;
  config: SubgraphServiceConfig;
  logger: Logger;
  /** Services whose internal tokens this subgraph accepts; the gateway always. */
  trustedCallers: readonly string[];
  /** The service's connection: the revocation feed and its watermark questions ride on it. */
  nats: NatsConnection;
  sessions: SessionVoucher<TSchema>;
  /** The drizzle tables of the subgraph's Postgres schema. */
  tables: TSchema;
  /** URL of the subgraph's schema.graphql. */
  schemaUrl: URL;
  /** The subgraph's generated `Resolvers<TContext>` map. */
  resolvers: object;
  /** Builds the per-operation context from the verified caller identity. */
  context: (runtime: SubgraphRuntime<TSchema>) => (identity: InternalIdentity, req: IncomingMessage) => Promise<TContext>;
  /** Extra HTTP routes, e.g. the JWKS of the users service. */
  routes?: (runtime: SubgraphRuntime<TSchema>) => Readonly<Record<string, RouteHandler>>;
}

/**
 * Opens the subgraph's database, loads its keys and serves its schema: the whole
 * start-up of a subgraph, so that its entry point only names its parts.
 */
export async function serveSubgraph<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  options: ServeSubgraphOptions<TSchema, TContext>,
): Promise<Closeable & { url: string; runtime: SubgraphRuntime<TSchema> }> {
  const { config, logger } = options;
  const production = config.nodeEnv === "production";
  const keys = await loadSigningKeys({
    owner: options.name,
    jwks: config.signingJwks || undefined,
    keysDir: config.keysDir,
    production,
  });
  const verify = createInternalTokenVerifier(options.name, {
    trusted: ["gateway", ...options.trustedCallers],
    jwks: config.trustedJwks || undefined,
    keysDir: production ? undefined : config.keysDir,
  });
  if (production && !config.trustedJwks) throw new KeyConfigError("TRUSTED_JWKS is required in production");
  const database = createDatabase(config.databaseUrl, options.tables, {
    logger,
    applicationName: `asky-${options.name}`,
    statementTimeoutMs: config.statementTimeoutMs,
    connectionsPerOperation: config.connectionsPerOperation,
  });
  traceQueries(database.pool, logger);
  const runtime: SubgraphRuntime<TSchema> = { database, logger, keys };
  const context = options.context(runtime);
  const sessions = sessionSource(options.name, options.sessions, runtime, config.sessionCheckTimeoutMs);
  const revocations = startRevocationChecks({ nats: options.nats, config, sessions: sessions.source, logger: logger.child({ component: "revocation" }) });
  const authenticate = internalAuthenticator(verify, revocations, logger);
  try {
    const http = await startSubgraphServer({
      name: options.name,
      typeDefs: loadTypeDefs(options.schemaUrl),
      resolvers: options.resolvers,
      context: async (req) => context(await authenticate(req), req),
      health: () => database.ping(),
      revocationFeed: revocations.feedState,
      logger,
      port: config.port,
      host: config.host,
      production,
      limits: operationLimitsOf(config),
      ...(options.routes ? { routes: options.routes(runtime) } : {}),
    });
    const closeRevocations = async () => {
      await revocations.close();
      sessions.close();
    };
    return { url: http.url, runtime, close: () => closeAll(http, closeRevocations, database) };
  } catch (error) {
    await closeAll(() => revocations.close(), async () => sessions.close(), database);
    throw error;
  }
}

function sessionSource<TSchema extends Record<string, unknown>>(
  caller: string,
  voucher: SessionVoucher<TSchema>,
  runtime: SubgraphRuntime<TSchema>,
  timeoutMs: number,
): { source: SessionStatusSource; close(): void } {
  switch (voucher.kind) {
    case "users-service":
      return usersServiceSessions({ usersUrl: voucher.usersUrl, caller, key: runtime.keys[0], timeoutMs });
    case "local":
      return { source: voucher.source(runtime), close: () => undefined };
    default: {
      const unreachable: never = voucher;
      throw new Error(`unknown session voucher ${JSON.stringify(unreachable)}`);
    }
  }
}
