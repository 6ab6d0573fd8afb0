import { loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/requests";
import { requestsEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { resolvers } from "./resolvers/index.js";

runService("requests", (logger) =>
  serveSubgraph({
    name: "requests",
    config: loadConfig(requestsEnv),
    logger,
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers,
    context: (database) => createContextFactory(database.db, logger),
  }),
);
