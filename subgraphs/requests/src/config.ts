import { env, type ConfigOf } from "@asky/runtime";
import { subgraphEnv } from "@asky/service";
import { usersUrlEnv } from "@asky/auth";
import { defaultGraphqlUrl, serviceRegistry } from "@asky/contracts";

export const requestsEnv = {
  ...subgraphEnv("requests"),
  dispensersUrl: env.url(serviceRegistry.dispensers.urlEnvVar, {
    description: "GraphQL endpoint of the dispensers subgraph, asked about cabinets and catalog items",
    protocols: ["http:", "https:"],
    default: defaultGraphqlUrl("dispensers"),
  }),
  usersUrl: usersUrlEnv,
};

export type RequestsConfig = ConfigOf<typeof requestsEnv>;
