import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";

/**
 * The columns the relay and the consumer helper rely on, structurally: any table built by
 * `eventTables()` in @asky/db fits, without this package depending on the db package (which
 * depends on this one).
 */
export type OutboxTable = PgTable & {
  readonly id: PgColumn;
  readonly seq: PgColumn;
  readonly subject: PgColumn;
  readonly payload: PgColumn;
  /** W3C trace context of the writing transaction (jsonb, nullable). */
  readonly headers: PgColumn;
  readonly createdAt: PgColumn;
  readonly publishedAt: PgColumn;
  readonly attempts: PgColumn;
  readonly lastError: PgColumn;
};

export type ProcessedEventsTable = PgTable & {
  readonly consumer: PgColumn;
  readonly eventId: PgColumn;
};

/** What drizzle databases and transactions both offer: running one SQL statement. */
export interface SqlExecutor {
  execute(query: SQL): PromiseLike<unknown>;
}

/** Bare column name, for INSERT column lists and SET clauses where Postgres refuses a qualified one. */
export const column = (col: PgColumn): SQLWrapper => sql.identifier(col.name);

/** The Postgres NOTIFY channel on which a service's outbox announces new rows. */
export function outboxChannel(table: OutboxTable): string {
  const { schema, name } = getTableConfig(table);
  return `asky_${schema ?? "public"}_${name}`.toLowerCase();
}
