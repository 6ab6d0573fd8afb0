import type { NodePgDatabase, NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import type * as tables from "@asky/db/schema/users";

export type UsersDb = NodePgDatabase<typeof tables>;

/** The pool or an open transaction: data functions take either, so callers choose atomicity. */
export type UsersExecutor = PgDatabase<NodePgQueryResultHKT, typeof tables>;
