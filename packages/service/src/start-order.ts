import type { BaseContext } from "@apollo/server";
import {
  loadConfig,
  createDatabase,
  operationLimitsOf,
  runService,
  type Closeable,
  loadTypeDefs,
  type Logger,
} from "@asky/runtime";
import { startOutboxRelay, connectNats, ensureStream, StreamReplicasError } from "@asky/events";
import { startSubgraphServer } from "./subgraph-server.js";
import type { EnvSpec, SubgraphDefinition, SubgraphTables } from "./define-subgraph.js";
import type { EventConsumer } from "./event-consumer.js";
import { StopOrder } from "./stop-order.js";
import type { SubgraphServiceConfig } from "./subgraph-config.js";
import { openSubgraphRuntime, type ServiceRuntime } from "./subgraph-runtime.js";

export interface RunningSubgraph<TSchema extends SubgraphTables, TConfig, TServices> extends Closeable {
  readonly url: string;
  readonly runtime: ServiceRuntime<TSchema, TConfig, TServices>;
}

/** `loadConfig` for a spec typed by the configuration it yields: each field gets its variable's value. */
function loadSubgraphConfig<TConfig>(spec: EnvSpec<TConfig>): TConfig {
  return loadConfig(spec) as TConfig;
}

/**
 * Starts a subgraph in the one order every subgraph starts in: NATS, the stream, the runtime
 * (keys, service pool, revocation checks), its collaborators, HTTP, then the consumers, the
 * jobs, the outbox relay and the answers. Each part is filed in the stop order as it starts,
 * so a start that fails halfway closes what it opened, as a stop would.
 */
export async function startSubgraph<
  TSchema extends SubgraphTables,
  TConfig extends SubgraphServiceConfig,
  TServices,
  TContext extends BaseContext,
  TResolvers extends object,
>(
  definition: SubgraphDefinition<TSchema, TConfig, TServices, TContext, TResolvers>,
  logger: Logger,
): Promise<RunningSubgraph<TSchema, TConfig, TServices>> {
  const { name } = definition;
  const config = loadSubgraphConfig(definition.env);
  const stop = new StopOrder(logger);
  try {
    const nats = await connectNats(config.natsUrls, `asky-${name}`, logger);
    stop.add("nats", "nats", () => nats.drain());
    const streamReplicas = config.natsStreamReplicas;
    // Only creates the stream early: the relay and the consumers ensure it again before use,
    // retrying while JetStream is unavailable, so a broker hiccup at boot stops nothing. A
    // replica count the server can never give is a misconfiguration, though: the start fails
    // with it, rather than every background loop retrying it forever.
    await ensureStream(nats, { replicas: streamReplicas, logger }).catch((error: unknown) => {
      if (error instanceof StreamReplicasError && error.fatal) throw error;
      logger.warn({ err: error }, "JetStream not ready yet; will retry");
    });
    const opened = await openSubgraphRuntime(
      {
        name,
        config,
        logger,
        nats,
        tables: definition.tables,
        trustedCallers: definition.trustedCallers,
        sessions: definition.sessions(config),
      },
      stop,
    );
    const services = definition.services(opened.runtime, (part, closer) => stop.add("collaborators", part, closer));
    const runtime: ServiceRuntime<TSchema, TConfig, TServices> = { ...opened.runtime, services };
    const context = definition.context(runtime);
    const http = await startSubgraphServer({
      name,
      typeDefs: loadTypeDefs(definition.schema),
      resolvers: definition.access ? definition.access(definition.resolvers) : definition.resolvers,
      context: async (req) => context(await opened.authenticate(req), req),
      health: () => runtime.database.ping(),
      revocationFeed: opened.revocationFeed,
      logger,
      port: config.port,
      host: config.host,
      production: config.nodeEnv === "production",
      limits: operationLimitsOf(config),
      maxEventLoopDelayMs: config.livenessMaxEventLoopDelayMs,
      metricsToken: config.metricsToken,
      ...(definition.routes ? { routes: definition.routes(runtime) } : {}),
    });
    stop.add("http", "http", http);
    for (const consumer of definition.consumers ?? []) startConsumer(consumer, definition.tables, runtime, stop);
    for (const job of definition.jobs ?? []) stop.add("background", `job ${job.name}`, job.start(runtime));
    const relay = startOutboxRelay({
      service: name,
      databaseUrl: config.databaseUrl,
      outbox: definition.tables.outbox,
      nats,
      streamReplicas,
      logger,
    });
    stop.add("relay", "outbox relay", relay);
    for (const answer of definition.answers ?? []) stop.add("answers", answer.name, answer.start(runtime));
    return { url: http.url, runtime, close: () => stop.close() };
  } catch (error) {
    await stop.close().catch(() => undefined);
    throw error;
  }
}

/** Starts a consumer with the pool it writes with: the service's, or a small one of its own. */
function startConsumer<TSchema extends SubgraphTables, TConfig extends SubgraphServiceConfig, TServices>(
  consumer: EventConsumer<TSchema, ServiceRuntime<TSchema, TConfig, TServices>>,
  tables: TSchema,
  runtime: ServiceRuntime<TSchema, TConfig, TServices>,
  stop: StopOrder,
): void {
  let database = runtime.database;
  if (consumer.pool === "own") {
    database = createDatabase(runtime.config.databaseUrl, tables, {
      applicationName: `asky-${runtime.name}-consumer`,
      maxConnections: 2,
      logger: runtime.logger,
    });
    stop.add("databases", `pool of ${consumer.durable}`, database);
  }
  const started = consumer.start({
    nats: runtime.nats,
    streamReplicas: runtime.config.natsStreamReplicas,
    db: database.db,
    processedEvents: tables.processedEvents,
    logger: runtime.logger,
    runtime,
  });
  stop.add("background", `consumer ${consumer.durable}`, started);
}

/**
 * Runs a subgraph as its process: see `runService` for signals, a failed start (exit 1) and
 * the 10 s bound on a stop.
 */
export function runSubgraph<
  TSchema extends SubgraphTables,
  TConfig extends SubgraphServiceConfig,
  TServices,
  TContext extends BaseContext,
  TResolvers extends object,
>(definition: SubgraphDefinition<TSchema, TConfig, TServices, TContext, TResolvers>): void {
  runService(definition.name, (logger) => startSubgraph(definition, logger));
}
