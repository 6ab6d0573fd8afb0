import pg from "pg";
import type { Logger } from "./logger.js";
import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  type ExtractTablesWithRelations,
  type RelationalSchemaConfig,
} from "drizzle-orm";
import { drizzle, NodePgDatabase, NodePgSession } from "drizzle-orm/node-postgres";
import { PgDialect } from "drizzle-orm/pg-core";
import { observePool, traceSqlStatements } from "@asky/telemetry";
import { OperationPool } from "./operation-pool.js";

/**
 * A statement stuck behind a lock, or a plan gone wrong, must not hold a nurse's request or a
 * pool connection for long. The service pools and the service roles (db/src/roles.ts) take
 * the same value, from DB_STATEMENT_TIMEOUT_MS.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

/** Of the pool's connections, how many one GraphQL operation may use at once. */
export const DEFAULT_CONNECTIONS_PER_OPERATION = 2;

const DEFAULT_POOL_SIZE = 10;
const CONNECTION_TIMEOUT_MS = 5_000;

export interface Database<TSchema extends Record<string, unknown>> {
  readonly db: NodePgDatabase<TSchema>;
  readonly pool: pg.Pool;
  /**
   * A drizzle instance for one GraphQL operation, over a view of the pool that lends that
   * operation at most `connectionsPerOperation` connections at once. Cheap: build one per
   * operation, never share it between operations.
   */
  forOperation(): NodePgDatabase<TSchema>;
  /** Resolves when Postgres answers; used by /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Shows up in pg_stat_activity, which is how a DBA tells the services apart. */
  applicationName: string;
  maxConnections?: number;
  /** Milliseconds; 0 leaves the role's setting in force. Default DEFAULT_STATEMENT_TIMEOUT_MS. */
  statementTimeoutMs?: number;
  /** Default DEFAULT_CONNECTIONS_PER_OPERATION, never more than maxConnections. */
  connectionsPerOperation?: number;
  /** Where a connection lost while idle is reported. */
  logger?: Pick<Logger, "warn">;
}

export function createDatabase<TSchema extends Record<string, unknown>>(
  url: string,
  schema: TSchema,
  options: DatabaseOptions,
): Database<TSchema> {
  const max = options.maxConnections ?? DEFAULT_POOL_SIZE;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: options.applicationName,
    // Sent at connect, so it holds even where setup has not given the role its own yet.
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
  });
  // An idle connection the server drops (a Postgres restart, a DBA's pg_terminate_backend)
  // is emitted as 'error' on the pool; unheard, that event would end the whole process. The
  // pool replaces the connection by itself on next use.
  pool.on("error", (error) => {
    if (options.logger)
      options.logger.warn({ err: error, applicationName: options.applicationName }, "idle database connection lost");
  });
  const target = new URL(url);
  traceSqlStatements(pool, {
    database: decodeURIComponent(target.pathname.slice(1)),
    host: target.hostname,
    port: Number(target.port || 5432),
  });
  observePool(pool, options.applicationName);
  const perOperation = Math.min(options.connectionsPerOperation ?? DEFAULT_CONNECTIONS_PER_OPERATION, max);
  // What drizzle() derives from the schema (45 µs a call) is derived once; per operation
  // only a session and its query builders are made (about 1 µs).
  const dialect = new PgDialect();
  const tables = extractTablesRelationalConfig<ExtractTablesWithRelations<TSchema>>(
    schema,
    createTableRelationsHelpers,
  );
  const relational: RelationalSchemaConfig<ExtractTablesWithRelations<TSchema>> = {
    fullSchema: schema,
    schema: tables.tables,
    tableNamesMap: tables.tableNamesMap,
  };
  return {
    db: drizzle(pool, { schema }),
    pool,
    forOperation() {
      // Typed as the pool drizzle expects: it calls only query() and connect() on it.
      const client = new OperationPool(pool, perOperation, CONNECTION_TIMEOUT_MS) as unknown as pg.Pool;
      return new NodePgDatabase<TSchema>(dialect, new NodePgSession(client, dialect, relational), relational);
    },
    async ping() {
      await pool.query("select 1");
    },
    close: () => pool.end(),
  };
}
