import { defineSubgraph, runSubgraph } from "@asky/service";
import * as tables from "@asky/db/schema/requests";
import { withAccessRules } from "./access.js";
import { requestsEnv } from "./config.js";
import { consumers } from "./consumers/index.js";
import { createContextFactory, startRequestsServices } from "./context.js";
import { startSlaClock } from "./jobs/sla-clock.js";
import { resolvers } from "./resolvers/index.js";

runSubgraph(
  defineSubgraph({
    name: "requests",
    env: requestsEnv,
    schema: new URL("../schema.graphql", import.meta.url),
    tables,
    resolvers,
    access: withAccessRules,
    trustedCallers: [],
    sessions: (config) => ({ kind: "users-service", usersUrl: config.usersUrl }),
    services: startRequestsServices,
    context: createContextFactory,
    consumers,
    jobs: [
      {
        name: "sla-clock",
        start: ({ database, config, logger }) =>
          startSlaClock({
            db: database.db,
            pool: database.pool,
            warningPercent: config.slaWarningPercent,
            intervalMs: config.slaClockIntervalMs,
            logger,
          }),
      },
    ],
  }),
);
