import { closeAll, loadConfig, runService, serveSubgraph, type Closeable } from "@asky/common";
import * as tables from "@asky/db/schema/users";
import { withAccessRules } from "./access.js";
import { usersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { startEvents } from "./events/index.js";
import { jwksRoute } from "./jwks-route.js";
import { resolvers } from "./resolvers/index.js";
import { startRetention } from "./services/retention.js";

runService("users", async (logger) => {
  const config = loadConfig(usersEnv);
  const events = await startEvents(config, logger);
  let retention: Closeable | null = null;
  const server = await serveSubgraph({
    name: "users",
    config,
    logger,
    trustedCallers: [],
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers: withAccessRules(resolvers),
    context: (runtime) => {
      retention = startRetention(runtime.database.db, config, logger);
      return createContextFactory(config)(runtime);
    },
    routes: ({ keys }) => ({ "/.well-known/jwks.json": jwksRoute(keys) }),
  }).catch(async (error: unknown) => {
    await events.close();
    throw error;
  });
  // The purge first, then HTTP (no new writes), then the relay and NATS.
  return { close: () => closeAll(async () => retention?.close(), server, events) };
});
