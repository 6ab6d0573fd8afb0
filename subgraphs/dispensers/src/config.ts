import { subgraphEnv, usersUrlEnv, type ConfigOf } from "@asky/common";

export const dispensersEnv = {
  ...subgraphEnv("dispensers"),
  usersUrl: usersUrlEnv,
};

export type DispensersConfig = ConfigOf<typeof dispensersEnv>;
