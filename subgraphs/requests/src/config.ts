import { subgraphEnv, type ConfigOf } from "@asky/common";

export const requestsEnv = subgraphEnv("requests", 4003);

export type RequestsConfig = ConfigOf<typeof requestsEnv>;
