import { join } from "node:path";
import type { ServiceName } from "@asky/db";
import type { PreparedDatabase } from "./database.js";
import { StackError } from "./errors.js";
import type { LogSink } from "./log.js";
import { describeExit, spawnManaged } from "./processes.js";

/**
 * The database step of a stack started from a build: the build's own `setup-database.js`,
 * the very process a deployment runs as its migration job, rather than @asky/db in this
 * process. Demo data is seeded as in development; the script reports what it seeded.
 */
export async function prepareBuiltDatabase(
  buildDir: string,
  adminUrl: string,
  passwords: Record<ServiceName, string>,
  log: LogSink,
): Promise<PreparedDatabase> {
  const { serviceNames, serviceRole, serviceUrl } = await import("@asky/db");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "development",
    DATABASE_URL: adminUrl,
    SEED_DEMO_DATA: "true",
    ...(process.env.DB_STATEMENT_TIMEOUT_MS ? { DB_STATEMENT_TIMEOUT_MS: process.env.DB_STATEMENT_TIMEOUT_MS } : {}),
  };
  for (const service of serviceNames) env[`${service.toUpperCase()}_DB_PASSWORD`] = passwords[service];

  const setup = spawnManaged({
    name: "setup-database",
    command: process.execPath,
    args: ["--enable-source-maps", join(buildDir, "setup-database.js")],
    cwd: buildDir,
    env,
    log,
  });
  const exit = await setup.exited;
  if (exit.code !== 0) {
    throw new StackError(`setup-database.js ${describeExit(exit)}:\n${setup.recentOutput().join("\n")}`);
  }
  const output = setup.recentOutput(200);
  const serviceDatabaseUrls = {} as Record<ServiceName, string>;
  const seeded = {} as Record<ServiceName, boolean>;
  for (const service of serviceNames) {
    serviceDatabaseUrls[service] = serviceUrl(adminUrl, serviceRole(service), passwords[service]);
    seeded[service] = output.some((line) => line.includes(`${service}: demo data seeded`));
  }
  return { serviceDatabaseUrls, seeded };
}
