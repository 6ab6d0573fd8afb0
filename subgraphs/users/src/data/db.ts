import type { NodePgDatabase, NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import type * as tables from "@asky/db/schema/users";

export type UsersDb = NodePgDatabase<typeof tables>;

/** The pool or an open transaction: data functions take either, so callers choose atomicity. */
export type UsersExecutor = PgDatabase<NodePgQueryResultHKT, typeof tables>;


/** Ids come from clients; a malformed one must mean "no such row", not a Postgres cast error. */
export { isUuid } from "@asky/common";

/** The constraint a Postgres unique violation hit, looking through drizzle's error wrapper. */
export function uniqueViolation(error: unknown): string | null {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const pgError = current as Error & { code?: unknown; constraint?: unknown };
    if (pgError.code === "23505") return typeof pgError.constraint === "string" ? pgError.constraint : "";
  }
  return null;
}
