import { defineSubgraph, runSubgraph } from "@asky/service";
import * as tables from "@asky/db/schema/dispensers";
import { withAccessRules } from "./access.js";
import { dispensersEnv } from "./config.js";
import { consumers } from "./consumers/index.js";
import { createContextFactory, startDispensersServices } from "./context.js";
import { resolvers } from "./resolvers/index.js";

runSubgraph(
  defineSubgraph({
    name: "dispensers",
    env: dispensersEnv,
    schema: new URL("../schema.graphql", import.meta.url),
    tables,
    resolvers,
    access: withAccessRules,
    trustedCallers: ["requests"],
    sessions: (config) => ({ kind: "users-service", usersUrl: config.usersUrl }),
    services: startDispensersServices,
    context: createContextFactory,
    consumers,
  }),
);
