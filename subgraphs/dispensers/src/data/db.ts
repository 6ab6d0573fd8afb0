import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { TransactionOf } from "@asky/events";
import type * as tables from "@asky/db/schema/dispensers";

export type DispensersDb = NodePgDatabase<typeof tables>;
export type DispensersTx = TransactionOf<typeof tables>;
