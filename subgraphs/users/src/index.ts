import { defineSubgraph, runSubgraph } from "@asky/service";
import * as tables from "@asky/db/schema/users";
import { withAccessRules } from "./access.js";
import { answerRevocationWatermarks } from "./answers/revocation-watermark.js";
import { usersEnv } from "./config.js";
import { createContextFactory } from "./context.js";
import { startRetention } from "./jobs/retention.js";
import { resolvers } from "./resolvers/index.js";
import { usersRoutes } from "./routes/index.js";
import { sessionStatus } from "./services/session-status.js";

runSubgraph(
  defineSubgraph({
    name: "users",
    env: usersEnv,
    schema: new URL("../schema.graphql", import.meta.url),
    tables,
    resolvers,
    access: withAccessRules,
    trustedCallers: [],
    // This service decides from its own database what the others ask it over HTTP.
    sessions: () => ({
      kind: "local",
      source:
        ({ database, logger }) =>
        (token) =>
          sessionStatus(
            database.db,
            { userId: token.viewer.id, sessionId: token.sessionId, issuedAtMs: token.issuedAtMs },
            logger,
          ),
    }),
    services: () => ({}),
    context: createContextFactory,
    routes: usersRoutes,
    // Sign-in attempts and expired refresh tokens are purged a minute after start, then hourly.
    jobs: [{ name: "retention", start: ({ database, config, logger }) => startRetention(database.db, config, logger) }],
    // Gateways and subgraphs ask whether their revocation feed can be complete.
    answers: [
      {
        name: "revocation watermarks",
        start: ({ nats, database, logger }) => answerRevocationWatermarks(nats, database.db, logger),
      },
    ],
  }),
);
