import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";

export interface Database<TSchema extends Record<string, unknown>> {
  readonly db: NodePgDatabase<TSchema>;
  readonly pool: pg.Pool;
  /** Resolves when Postgres answers; used by /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Shows up in pg_stat_activity, which is how a DBA tells the services apart. */
  applicationName: string;
  maxConnections?: number;
}

export function createDatabase<TSchema extends Record<string, unknown>>(
  url: string,
  schema: TSchema,
  options: DatabaseOptions,
): Database<TSchema> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName,
    // A statement stuck behind a lock must not hold a nurse's request forever.
    statement_timeout: 15_000,
    connectionTimeoutMillis: 5_000,
  });
  return {
    db: drizzle(pool, { schema }),
    pool,
    async ping() {
      await pool.query("select 1");
    },
    close: () => pool.end(),
  };
}
