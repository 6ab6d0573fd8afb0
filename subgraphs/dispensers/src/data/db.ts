import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type * as tables from "@asky/db/schema/dispensers";

export type DispensersDb = NodePgDatabase<typeof tables>;
