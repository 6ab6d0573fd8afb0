import type { IncomingMessage } from "node:http";
import type { BaseContext } from "@apollo/server";
import type { InternalIdentity } from "@asky/auth";
import type { EnvVar, RouteHandler, Closeable } from "@asky/runtime";
import type { OutboxTable, ProcessedEventsTable } from "@asky/events";
import type { EventConsumer } from "./event-consumer.js";
import type { Closer } from "./stop-order.js";
import type { SubgraphServiceConfig } from "./subgraph-config.js";
import type { ServiceRuntime, SessionVoucher, SubgraphRuntime } from "./subgraph-runtime.js";

/** A subgraph's drizzle tables: every Asky service schema has an outbox and processed_events. */
export type SubgraphTables = Record<string, unknown> & {
  readonly outbox: OutboxTable;
  readonly processedEvents: ProcessedEventsTable;
};

/** The environment variables behind each field of a configuration (a spec such as `subgraphEnv(...)`). */
export type EnvSpec<TConfig> = { readonly [K in keyof TConfig]: EnvVar<TConfig[K]> };

/** Builds one operation's context from the verified caller. */
export type ContextFactory<TContext> = (identity: InternalIdentity, req: IncomingMessage) => Promise<TContext>;

/** Long-running work of the service besides HTTP and consumers: a purge, a responder on NATS. */
export interface BackgroundWork<TRuntime> {
  /** Names it in the logs of a failed stop. */
  readonly name: string;
  start(runtime: TRuntime): Closeable;
}

/** Files something the service built under the `collaborators` stop stage. */
export type OnStop = (name: string, closer: Closer) => void;

/**
 * Everything a subgraph is, declared once; `runSubgraph` starts and stops the parts in the
 * order `startSubgraph` and `stopStages` write down, the same for every subgraph.
 */
export interface SubgraphDefinition<
  TSchema extends SubgraphTables,
  TConfig extends SubgraphServiceConfig,
  TServices,
  TContext extends BaseContext,
  TResolvers extends object,
> {
  /** The service's name: its logger, keys, internal-token audience, pool and NATS client names. */
  readonly name: string;
  /** The environment variables it reads, e.g. `{ ...subgraphEnv("users"), ... }`. */
  readonly env: EnvSpec<TConfig>;
  /** URL of the subgraph's schema.graphql. */
  readonly schema: URL;
  /** Its drizzle tables; the relay publishes their outbox, consumers record in processed_events. */
  readonly tables: TSchema;
  /**
   * The subgraph's generated `Resolvers<TContext>` map. Federation's reference resolvers take
   * (reference, context, info), which @apollo/subgraph's own map type cannot express, so the
   * typed map is checked where it is built and passed through as is.
   */
  readonly resolvers: TResolvers;
  /** Wraps the resolvers in the subgraph's access rules. */
  readonly access?: (resolvers: TResolvers) => TResolvers;
  /** Services whose internal tokens it accepts besides the gateway's. */
  readonly trustedCallers: readonly string[];
  /** Who vouches for a person's token while the revocation feed is not proven current. */
  readonly sessions: (config: TConfig) => SessionVoucher<SubgraphRuntime<TSchema, TConfig>>;
  /** Process-wide collaborators (clients, caches) the context, consumers and jobs share. */
  readonly services: (runtime: SubgraphRuntime<TSchema, TConfig>, onStop: OnStop) => TServices;
  readonly context: (runtime: ServiceRuntime<TSchema, TConfig, TServices>) => ContextFactory<TContext>;
  /** Extra HTTP routes, e.g. the JWKS of the users service. */
  readonly routes?: (runtime: ServiceRuntime<TSchema, TConfig, TServices>) => Readonly<Record<string, RouteHandler>>;
  /** Durable consumers of other services' events (see `eventConsumer`). */
  readonly consumers?: readonly EventConsumer<TSchema, ServiceRuntime<TSchema, TConfig, TServices>>[];
  /** Timers and loops that write with the service pool: they stop with the consumers. */
  readonly jobs?: readonly BackgroundWork<ServiceRuntime<TSchema, TConfig, TServices>>[];
  /** What the service answers on NATS from its database: it stops after HTTP, before the pool. */
  readonly answers?: readonly BackgroundWork<ServiceRuntime<TSchema, TConfig, TServices>>[];
}

/** Names a subgraph's definition, its types inferred from it (the identity, as `defineConfig` is). */
export function defineSubgraph<
  TSchema extends SubgraphTables,
  TConfig extends SubgraphServiceConfig,
  TServices,
  TContext extends BaseContext,
  TResolvers extends object,
>(
  definition: SubgraphDefinition<TSchema, TConfig, TServices, TContext, TResolvers>,
): SubgraphDefinition<TSchema, TConfig, TServices, TContext, TResolvers> {
  return definition;
}
