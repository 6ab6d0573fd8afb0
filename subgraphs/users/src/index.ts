import { closeAll, loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/users";
import { withAccessRules } from "./access.js";
import { usersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { startEvents } from "./events/index.js";
import { jwksRoute } from "./jwks-route.js";
import { resolvers } from "./resolvers/index.js";

runService("users", async (logger) => {
  const config = loadConfig(usersEnv);
  const events = await startEvents(config, logger);
  const server = await serveSubgraph({
    name: "users",
    config,
    logger,
    trustedCallers: [],
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers: withAccessRules(resolvers),
    context: createContextFactory(config),
    routes: ({ keys }) => ({ "/.well-known/jwks.json": jwksRoute(keys) }),
  }).catch(async (error: unknown) => {
    await events.close();
    throw error;
  });
  // HTTP first (no new writes), then the relay and NATS.
  return { close: () => closeAll(server, events) };
});
