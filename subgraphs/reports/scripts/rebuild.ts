/**
 * `npm run reports:rebuild -w @asky/reports`: empties the reports read model and replays the
 * request events of the stream into it. Reads DATABASE_URL (the asky_reports role) and
 * NATS_URL like the service; the running service may stay up meanwhile.
 */
import pg from "pg";
import { connectNats } from "@asky/events";
import { commonEnv, createLogger, env, loadConfig } from "@asky/runtime";
import { rebuildReadModel } from "../src/services/rebuild-read-model.js";

const config = loadConfig({
  natsUrls: commonEnv.natsUrls,
  databaseUrl: env.url("DATABASE_URL", {
    description: "Postgres URL of the asky_reports role",
    protocols: ["postgres:", "postgresql:"],
  }),
});
const logger = createLogger("reports-rebuild");
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, application_name: "asky-reports-rebuild" });
const nats = await connectNats(config.natsUrls, "reports-rebuild", logger);
try {
  const result = await rebuildReadModel({ pool, nats, logger });
  console.log(`reports read model rebuilt: ${result.applied} events applied, up to sequence ${result.lastSequence}`);
} catch (error) {
  logger.error({ err: error }, "rebuild failed");
  process.exitCode = 1;
} finally {
  await nats.drain();
  await pool.end();
}
