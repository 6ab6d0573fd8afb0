import { env, subgraphEnv, usersUrlEnv, type ConfigOf } from "@asky/common";

export const requestsEnv = {
  ...subgraphEnv("requests", 4003),
  dispensersUrl: env.url("DISPENSERS_URL", {
    description: "GraphQL endpoint of the dispensers subgraph, asked about cabinets and catalog items",
    protocols: ["http:", "https:"],
    default: "http://127.0.0.1:4002/graphql",
  }),
  usersUrl: usersUrlEnv,
};

export type RequestsConfig = ConfigOf<typeof requestsEnv>;
