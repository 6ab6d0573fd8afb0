import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { TransactionOf } from "@asky/events";
import type * as tables from "@asky/db/schema/reports";

export type ReportsDb = NodePgDatabase<typeof tables>;
export type ReportsTx = TransactionOf<typeof tables>;
