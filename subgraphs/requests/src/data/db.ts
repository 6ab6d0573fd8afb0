import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type * as tables from "@asky/db/schema/requests";

export type RequestsDb = NodePgDatabase<typeof tables>;
