import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { TransactionOf } from "@asky/events";
import type * as tables from "@asky/db/schema/requests";

export type RequestsDb = NodePgDatabase<typeof tables>;
export type RequestsTx = TransactionOf<typeof tables>;
/** Reads that may run inside or outside a transaction. */
export type RequestsExecutor = RequestsDb | RequestsTx;
