import { defineSubgraph, runSubgraph } from "@asky/service";
import * as tables from "@asky/db/schema/reports";
import { withAccessRules } from "./access.js";
import { reportsEnv } from "./config.js";
import { consumers } from "./consumers/index.js";
import { createContextFactory, startReportsServices } from "./context.js";
import { startWebhookDelivery } from "./jobs/webhook-delivery.js";
import { startWebhookRetention } from "./jobs/webhook-retention.js";
import { resolvers } from "./resolvers/index.js";

/**
 * The reports subgraph: a read model of the request lifecycle, fed by the event stream
 * (`consumers/`), answering the pharmacy's turnaround, fill rate and consumption figures, and
 * sending matching events to the administrators' escalation webhooks (`jobs/webhook-delivery`).
 */
runSubgraph(
  defineSubgraph({
    name: "reports",
    env: reportsEnv,
    schema: new URL("../schema.graphql", import.meta.url),
    tables,
    resolvers,
    access: withAccessRules,
    trustedCallers: [],
    sessions: (config) => ({ kind: "users-service", usersUrl: config.usersUrl }),
    services: startReportsServices,
    context: createContextFactory,
    consumers,
    jobs: [
      {
        name: "webhook-delivery",
        start: ({ database, config, services, logger }) =>
          startWebhookDelivery(database.db, config, services.webhookSecretKeys, logger),
      },
      { name: "webhook-retention", start: ({ database, logger }) => startWebhookRetention(database.db, logger) },
    ],
  }),
);
