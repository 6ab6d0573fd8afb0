import { closeAll, loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/requests";
import { withAccessRules } from "./access.js";
import { CachedDispensersClient } from "./clients/cached-dispensers-client.js";
import { createDispensersClient } from "./clients/dispensers-client.js";
import { requestsEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { startEvents } from "./events/index.js";
import { resolvers } from "./resolvers/index.js";

runService("requests", async (logger) => {
  const config = loadConfig(requestsEnv);
  const events = await startEvents(config, logger);
  let dispensers: CachedDispensersClient | null = null;
  try {
    const server = await serveSubgraph({
      name: "requests",
      config,
      logger,
      trustedCallers: [],
      nats: events.nats,
      sessions: { kind: "users-service", usersUrl: config.usersUrl },
      tables,
      schemaUrl: new URL("../schema.graphql", import.meta.url),
      resolvers: withAccessRules(resolvers),
      // The runtime holds what the rest is built from: the pool and this service's signing key.
      context: (runtime) => {
        const client = new CachedDispensersClient(createDispensersClient(config.dispensersUrl, runtime.keys[0])).watch(events.nats, logger);
        dispensers = client;
        events.startConsumers(runtime.database.db, client);
        return createContextFactory(runtime, { dispensers: client });
      },
    });
    // Event consumers before the pool they write with; HTTP and the pool; then relay and NATS.
    return { close: () => closeAll(events.stopConsumers, server, async () => dispensers?.close(), events) };
  } catch (error) {
    await events.close();
    throw error;
  }
});
