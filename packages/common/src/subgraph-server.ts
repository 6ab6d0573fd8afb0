import type { IncomingMessage } from "node:http";
import type { DocumentNode } from "graphql";
import { ApolloServer, type BaseContext } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import { createErrorFormatter } from "./errors.js";
import { sendJson, startHttpHost, type RouteHandler, type RunningHttpServer } from "./http-server.js";
import type { Logger } from "./logger.js";
import { createDatabase, type Database } from "./database.js";
import { closeAll, type Closeable } from "./run-service.js";
import { loadTypeDefs } from "./schema-file.js";

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
  logger: Logger;
  port: number;
  host: string;
  production: boolean;
  routes?: Readonly<Record<string, RouteHandler>>;
}

export function healthRoute(check: () => Promise<void>, logger: Logger): RouteHandler {
  return async (_req, res) => {
    try {
      await check();
      sendJson(res, 200, { status: "ok" }, { "cache-control": "no-store" });
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
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: options.typeDefs,
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    }),
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: !options.production,
    plugins: [ApolloServerPluginLandingPageDisabled()],
    logger,
  });
  return startHttpHost({
    apollo,
    context: options.context,
    logger,
    port: options.port,
    host: options.host,
    routes: { "/health": healthRoute(options.health, logger), ...options.routes },
  });
}

/** Configuration every subgraph reads; see `subgraphEnv`. */
export interface SubgraphServiceConfig {
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: "development" | "production" | "test";
}

export interface ServeSubgraphOptions<TSchema extends Record<string, unknown>, TContext extends BaseContext> {
  name: string;
  config: SubgraphServiceConfig;
  logger: Logger;
  /** The drizzle tables of the subgraph's Postgres schema. */
  tables: TSchema;
  /** URL of the subgraph's schema.graphql. */
  schemaUrl: URL;
  /** The subgraph's generated `Resolvers<TContext>` map. */
  resolvers: object;
  /** Builds the per-operation context factory once the database is open. */
  context: (database: Database<TSchema>, logger: Logger) => (req: IncomingMessage) => Promise<TContext>;
}

/**
 * Opens the subgraph's database and serves its schema: the whole start-up of a
 * subgraph, so that its entry point only names its parts.
 */
export async function serveSubgraph<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  options: ServeSubgraphOptions<TSchema, TContext>,
): Promise<Closeable & { url: string; database: Database<TSchema> }> {
  const { config, logger } = options;
  const database = createDatabase(config.databaseUrl, options.tables, { applicationName: `asky-${options.name}` });
  try {
    const http = await startSubgraphServer({
      name: options.name,
      typeDefs: loadTypeDefs(options.schemaUrl),
      resolvers: options.resolvers,
      context: options.context(database, logger),
      health: () => database.ping(),
      logger,
      port: config.port,
      host: config.host,
      production: config.nodeEnv === "production",
    });
    return { url: http.url, database, close: () => closeAll(http, database) };
  } catch (error) {
    await database.close();
    throw error;
  }
}
