import { subgraphEnv } from "@asky/service";
import { usersUrlEnv } from "@asky/auth";
import { type ConfigOf } from "@asky/runtime";

export const reportsEnv = {
  ...subgraphEnv("reports"),
  usersUrl: usersUrlEnv,
};

export type ReportsConfig = ConfigOf<typeof reportsEnv>;
