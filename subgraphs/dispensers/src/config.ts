import { subgraphEnv, type ConfigOf } from "@asky/common";

export const dispensersEnv = subgraphEnv("dispensers", 4002);

export type DispensersConfig = ConfigOf<typeof dispensersEnv>;
