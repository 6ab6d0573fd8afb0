import { loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/dispensers";
import { dispensersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { withAccessRules } from "./access.js";
import { resolvers } from "./resolvers/index.js";

runService("dispensers", (logger) =>
  serveSubgraph({
    name: "dispensers",
    config: loadConfig(dispensersEnv),
    logger,
    trustedCallers: ["requests"],
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers: withAccessRules(resolvers),
    context: createContextFactory,
  }),
);
