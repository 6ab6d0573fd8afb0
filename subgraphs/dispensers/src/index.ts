import { closeAll, loadConfig, runService, serveSubgraph } from "@asky/common";
import * as tables from "@asky/db/schema/dispensers";
import { withAccessRules } from "./access.js";
import { dispensersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { startEvents } from "./events/index.js";
import { resolvers } from "./resolvers/index.js";

runService("dispensers", async (logger) => {
  const config = loadConfig(dispensersEnv);
  const events = await startEvents(config, logger);
  try {
    const server = await serveSubgraph({
      name: "dispensers",
      config,
      logger,
      trustedCallers: ["requests"],
      nats: events.nats,
      sessions: { kind: "users-service", usersUrl: config.usersUrl },
      tables,
      schemaUrl: new URL("../schema.graphql", import.meta.url),
      resolvers: withAccessRules(resolvers),
      context: createContextFactory(events),
    });
    // HTTP first (no new writes), then the relay and NATS.
    return { close: () => closeAll(server, events) };
  } catch (error) {
    await events.close();
    throw error;
  }
});
