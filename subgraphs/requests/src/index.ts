import { loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/requests";
import { requestsEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { withAccessRules } from "./access.js";
import { resolvers } from "./resolvers/index.js";

runService("requests", (logger) =>
  serveSubgraph({
    name: "requests",
    config: loadConfig(requestsEnv),
    logger,
    trustedCallers: [],
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers: withAccessRules(resolvers),
    context: createContextFactory,
  }),
);
