import { closeAll, createInternalTokenVerifier, loadConfig, runService, serveSubgraph, SESSION_STATUS_PATH, type Closeable } from "@asky/common";
import * as tables from "@asky/db/schema/users";
import { withAccessRules } from "./access.js";
import { usersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { startEvents } from "./events/index.js";
import { jwksRoute } from "./jwks-route.js";
import { resolvers } from "./resolvers/index.js";
import { sessionStatusRoute } from "./session-status-route.js";
import { sessionStatus } from "./services/session-status.js";
import { startRetention } from "./services/retention.js";

runService("users", async (logger) => {
  const config = loadConfig(usersEnv);
  const events = await startEvents(config, logger);
  // Gateways and the other subgraphs ask whether a session still holds (they refuse the token
  // otherwise); clients never reach the endpoint.
  const verifySessionAsker = createInternalTokenVerifier("users", {
    trusted: ["gateway", "dispensers", "requests"],
    jwks: config.trustedJwks || undefined,
    keysDir: config.nodeEnv === "production" ? undefined : config.keysDir,
  });
  let retention: Closeable | null = null;
  const server = await serveSubgraph({
    name: "users",
    config,
    logger,
    trustedCallers: [],
    nats: events.nats,
    // This service decides from its own database what the others ask it over HTTP.
    sessions: {
      kind: "local",
      source: ({ database }) => (token) => sessionStatus(database.db, { userId: token.viewer.id, sessionId: token.sessionId, issuedAtMs: token.issuedAtMs }, logger),
    },
    tables,
    schemaUrl: new URL("../schema.graphql", import.meta.url),
    resolvers: withAccessRules(resolvers),
    context: (runtime) => {
      retention = startRetention(runtime.database.db, config, logger);
      return createContextFactory(config)(runtime);
    },
    routes: ({ keys, database }) => ({
      "/.well-known/jwks.json": jwksRoute(keys),
      [SESSION_STATUS_PATH]: sessionStatusRoute(database.db, verifySessionAsker, logger),
    }),
  }).catch(async (error: unknown) => {
    await events.close();
    throw error;
  });
  events.answerWatermarks(server.runtime.database.db);
  // The purge first, then HTTP (no new writes), then the relay and NATS.
  return { close: () => closeAll(async () => retention?.close(), server, events) };
});
