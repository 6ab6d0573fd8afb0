import { subgraphEnv } from "@asky/service";
import { usersUrlEnv } from "@asky/auth";
import { type ConfigOf } from "@asky/runtime";

export const dispensersEnv = {
  ...subgraphEnv("dispensers"),
  usersUrl: usersUrlEnv,
};

export type DispensersConfig = ConfigOf<typeof dispensersEnv>;
