import { loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/users";
import { withAccessRules } from "./access.js";
import { usersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { jwksRoute } from "./jwks-route.js";
import { resolvers } from "./resolvers/index.js";

runService("users", async (logger) => {
  const config = loadConfig(usersEnv);
  return serveSubgraph({
    name: "users",
    config,
    logger,
    trustedCallers: [],
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers: withAccessRules(resolvers),
    context: createContextFactory(config),
    routes: ({ keys }) => ({ "/.well-known/jwks.json": jwksRoute(keys) }),
  });
});
