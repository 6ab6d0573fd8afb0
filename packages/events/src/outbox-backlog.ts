import pg from "pg";
import { getTableConfig } from "drizzle-orm/pg-core";
import type { OutboxTable } from "./outbox-table.js";

export interface OutboxBacklog {
  /** Rows not yet published. */
  readonly rows: number;
  /** Age of the oldest of them in seconds; 0 when there is none. */
  readonly oldestAgeSeconds: number;
}

/** Long enough for the partial index of a backlog of millions; a scrape must never wait longer. */
const backlogStatementTimeoutMs = 500;

/**
 * The statement that reads the backlog: one pass over the partial index on unpublished rows
 * (`outbox_unpublished_seq_idx ... WHERE published_at IS NULL`, nearly empty while the relay
 * keeps up), bounded by a statement timeout of its own. The SET LOCAL and the SELECT are sent as
 * one simple-protocol query, which Postgres runs as one implicit transaction: the timeout binds
 * this statement only, and no statement of the relay sharing the connection can run between
 * the two, as it could with BEGIN … COMMIT sent one by one.
 */
export function outboxBacklogQuery(outbox: OutboxTable): string {
  const { schema, name } = getTableConfig(outbox);
  const quote = pg.escapeIdentifier;
  const table = schema ? `${quote(schema)}.${quote(name)}` : quote(name);
  const createdAt = quote(outbox.createdAt.name);
  const publishedAt = quote(outbox.publishedAt.name);
  return `set local statement_timeout = ${backlogStatementTimeoutMs};
    select count(*)::float8 as rows,
      coalesce(extract(epoch from now() - min(${createdAt})), 0)::float8 as oldest
    from ${table} where ${publishedAt} is null`;
}

interface BacklogRow {
  rows: number;
  oldest: number;
}

function lastResult(results: unknown): BacklogRow | undefined {
  const last: unknown = Array.isArray(results) ? results.at(-1) : results;
  return (last as { rows?: BacklogRow[] } | undefined)?.rows?.[0];
}

/** The backlog, or null when it cannot be read now (no connection, timeout): a gauge then skips. */
export async function readOutboxBacklog(client: pg.ClientBase, query: string): Promise<OutboxBacklog | null> {
  try {
    const row = lastResult(await client.query(query));
    if (!row) return null;
    return { rows: row.rows, oldestAgeSeconds: Math.max(0, row.oldest) };
  } catch {
    return null;
  }
}
