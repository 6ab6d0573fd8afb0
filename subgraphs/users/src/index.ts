import { loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/users";
import { usersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { resolvers } from "./resolvers/index.js";

runService("users", (logger) =>
  serveSubgraph({
    name: "users",
    config: loadConfig(usersEnv),
    logger,
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers,
    context: (database) => createContextFactory(database.db, logger),
  }),
);
