import type { IncomingMessage } from "node:http";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  createInternalTokenVerifier,
  type InternalIdentity,
  KeyConfigError,
  loadSigningKeys,
  type SigningKeys,
  startRevocationChecks,
  type RevocationFeedState,
  usersServiceSessions,
  type SessionStatusSource,
} from "@asky/auth";
import { createDatabase, type Database, assertNever, traceQueries, type Logger } from "@asky/runtime";
import { internalAuthenticator } from "./subgraph-authenticator.js";
import type { SubgraphServiceConfig } from "./subgraph-config.js";
import type { StopOrder } from "./stop-order.js";
import { observeRevocationFeed } from "./revocation-feed-metrics.js";

type Schema = Record<string, unknown>;

/** What a subgraph's parts are built from: its configuration, connections and keys. */
export interface SubgraphRuntime<TSchema extends Schema, TConfig = SubgraphServiceConfig> {
  readonly name: string;
  readonly config: TConfig;
  readonly logger: Logger;
  /** The service's connection: revocation feed, consumers, cache hints and the relay ride on it. */
  readonly nats: NatsConnection;
  /** The service pool, the one resolvers, jobs and (unless they have their own) consumers use. */
  readonly database: Database<TSchema>;
  /** This service's signing keys (first one active), for tokens it issues. */
  readonly keys: SigningKeys;
}

/** The runtime plus the process-wide collaborators the subgraph built from it (see `services`). */
export interface ServiceRuntime<TSchema extends Schema, TConfig, TServices> extends SubgraphRuntime<TSchema, TConfig> {
  readonly services: TServices;
}

/**
 * Who vouches for a person's access token while the subgraph's revocation feed is not proven
 * current: the users service over HTTP, or, in the users service itself, its own database.
 */
export type SessionVoucher<TRuntime> =
  | { readonly kind: "users-service"; readonly usersUrl: string }
  | { readonly kind: "local"; readonly source: (runtime: TRuntime) => SessionStatusSource };

export interface OpenRuntimeOptions<TSchema extends Schema, TConfig extends SubgraphServiceConfig> {
  readonly name: string;
  readonly config: TConfig;
  readonly logger: Logger;
  readonly nats: NatsConnection;
  readonly tables: TSchema;
  /** Services whose internal tokens this subgraph accepts besides the gateway. */
  readonly trustedCallers: readonly string[];
  readonly sessions: SessionVoucher<SubgraphRuntime<TSchema, TConfig>>;
}

export interface OpenedRuntime<TSchema extends Schema, TConfig> {
  readonly runtime: SubgraphRuntime<TSchema, TConfig>;
  /** The verified caller of an HTTP request, held to the person's revocations. */
  readonly authenticate: (req: IncomingMessage) => Promise<InternalIdentity>;
  readonly revocationFeed: () => RevocationFeedState;
}

/**
 * Loads the keys, opens the service pool and starts holding internal tokens to revocations:
 * what every operation needs before the subgraph may listen. Each part is filed in `stop`.
 */
export async function openSubgraphRuntime<TSchema extends Schema, TConfig extends SubgraphServiceConfig>(
  options: OpenRuntimeOptions<TSchema, TConfig>,
  stop: StopOrder,
): Promise<OpenedRuntime<TSchema, TConfig>> {
  const { name, config, logger } = options;
  const production = config.nodeEnv === "production";
  const keys = await loadSigningKeys({
    owner: name,
    jwks: config.signingJwks || undefined,
    keysDir: config.keysDir,
    production,
  });
  const verify = createInternalTokenVerifier(name, {
    trusted: ["gateway", ...options.trustedCallers],
    jwks: config.trustedJwks || undefined,
    keysDir: production ? undefined : config.keysDir,
  });
  if (production && !config.trustedJwks) throw new KeyConfigError("TRUSTED_JWKS is required in production");
  const database = createDatabase(config.databaseUrl, options.tables, {
    logger,
    applicationName: `asky-${name}`,
    statementTimeoutMs: config.statementTimeoutMs,
    connectionsPerOperation: config.connectionsPerOperation,
  });
  stop.add("databases", "service pool", database);
  traceQueries(database.pool, logger);
  const runtime: SubgraphRuntime<TSchema, TConfig> = { name, config, logger, nats: options.nats, database, keys };
  const sessions = sessionSource(runtime, options.sessions);
  stop.add("collaborators", "session voucher", async () => sessions.close());
  const revocations = startRevocationChecks({
    nats: options.nats,
    config,
    sessions: sessions.source,
    owner: name,
    logger: logger.child({ component: "revocation" }),
  });
  stop.add("collaborators", "revocation checks", revocations);
  observeRevocationFeed(name, revocations);
  return {
    runtime,
    authenticate: internalAuthenticator(verify, revocations, logger),
    revocationFeed: revocations.feedState,
  };
}

function sessionSource<TSchema extends Schema, TConfig extends SubgraphServiceConfig>(
  runtime: SubgraphRuntime<TSchema, TConfig>,
  voucher: SessionVoucher<SubgraphRuntime<TSchema, TConfig>>,
): { source: SessionStatusSource; close(): void } {
  switch (voucher.kind) {
    case "users-service":
      return usersServiceSessions({
        usersUrl: voucher.usersUrl,
        caller: runtime.name,
        key: runtime.keys[0],
        timeoutMs: runtime.config.sessionCheckTimeoutMs,
      });
    case "local":
      return { source: voucher.source(runtime), close: () => undefined };
    default:
      return assertNever(voucher, "session voucher");
  }
}
