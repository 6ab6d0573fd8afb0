import { closeAll, createInternalTokenVerifier, loadConfig, runService, serveSubgraph, SESSION_STATUS_PATH, type Closeable } from "@asky/common";
import * as tables from "@asky/db/schema/users";
import { withAccessRules } from "./access.js";
import { usersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { startEvents } from "./events/index.js";
import { jwksRoute } from "./jwks-route.js";
import { resolvers } from "./resolvers/index.js";
import { sessionStatusRoute } from "./session-status-route.js";
import { startRetention } from "./services/retention.js";

runService("users", async (logger) => {
  const config = loadConfig(usersEnv);
  const events = await startEvents(config, logger);
  // Only gateways may ask whether a session still holds (they refuse the token otherwise).
  const verifyGateway = createInternalTokenVerifier("users", {
    trusted: ["gateway"],
    jwks: config.trustedJwks || undefined,
    keysDir: config.nodeEnv === "production" ? undefined : config.keysDir,
  });
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
    routes: ({ keys, database }) => ({
      "/.well-known/jwks.json": jwksRoute(keys),
      [SESSION_STATUS_PATH]: sessionStatusRoute(database.db, verifyGateway, logger),
    }),
  }).catch(async (error: unknown) => {
    await events.close();
    throw error;
  });
  events.answerWatermarks(server.runtime.database.db);
  // The purge first, then HTTP (no new writes), then the relay and NATS.
  return { close: () => closeAll(async () => retention?.close(), server, events) };
});
