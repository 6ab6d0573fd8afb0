/**
 * One-shot database setup for a deployment (the `setup` service of docker-compose.yml, a
 * Kubernetes Job, a release step): creates or updates the four service roles and their
 * schemas, applies every service's pending migrations and, only when asked, seeds demo data.
 *
 *   DATABASE_URL=postgres://postgres:secret@db:5432/asky \
 *   USERS_DB_PASSWORD=... DISPENSERS_DB_PASSWORD=... REQUESTS_DB_PASSWORD=... REPORTS_DB_PASSWORD=... \
 *   node --import tsx scripts/setup-database.ts
 *
 * Idempotent: safe to run on every deploy and from several replicas at once (advisory locks
 * in @asky/db). Exits 0 when everything is done, 1 on any failure, 2 on bad configuration.
 * Never prints a password.
 */
import {
  commonEnv,
  ConfigError,
  env,
  isEntryPoint,
  loadConfig,
  statementTimeoutEnv,
  type ConfigOf,
  type EnvVar,
} from "@asky/runtime";
import { bootstrapRoles, migrateService, seedService, serviceNames, serviceRole, type ServiceName } from "@asky/db";

/** An optional secret: undefined when unset or empty. */
function optionalSecret(name: string, description: string): EnvVar<string | undefined> {
  return {
    name,
    description,
    required: false,
    parse(raw) {
      if (raw === undefined || raw === "") return undefined;
      if (raw.trim() !== raw) throw new Error(`${name} must not start or end with whitespace`);
      return raw;
    },
  };
}

/** A strict boolean: `true`/`false` (or `1`/`0`); anything else is an error, not false. */
function flag(name: string, description: string, defaultValue: boolean): EnvVar<boolean> {
  return {
    name,
    description,
    required: false,
    parse(raw) {
      if (raw === undefined || raw === "") return defaultValue;
      const value = raw.trim().toLowerCase();
      if (value === "true" || value === "1") return true;
      if (value === "false" || value === "0") return false;
      throw new Error(`${name} must be true or false, got "${raw}"`);
    },
  };
}

const passwordOf = (service: ServiceName) =>
  optionalSecret(
    `${service.toUpperCase()}_DB_PASSWORD`,
    `Password to set on the ${serviceRole(service)} role (required when NODE_ENV=production; ` +
      `otherwise defaults to the development password)`,
  );

/** Everything the setup reads. The compose test checks that the `setup` service sets each one. */
export const setupDatabaseEnv = {
  nodeEnv: commonEnv.nodeEnv,
  databaseUrl: env.url("DATABASE_URL", {
    description: "Postgres URL of a superuser (or a role with CREATEROLE that owns the database) of the Asky database",
    protocols: ["postgres:", "postgresql:"],
  }),
  usersDbPassword: passwordOf("users"),
  dispensersDbPassword: passwordOf("dispensers"),
  requestsDbPassword: passwordOf("requests"),
  reportsDbPassword: passwordOf("reports"),
  // The same variable the subgraphs read for their pools: each role gets what its service uses.
  statementTimeoutMs: statementTimeoutEnv,
  seedDemoData: flag(
    "SEED_DEMO_DATA",
    "Seed demo accounts and data into empty schemas (never enable in production)",
    false,
  ),
};

export type SetupDatabaseConfig = ConfigOf<typeof setupDatabaseEnv>;

const passwordVariables: Record<ServiceName, string> = {
  users: setupDatabaseEnv.usersDbPassword.name,
  dispensers: setupDatabaseEnv.dispensersDbPassword.name,
  requests: setupDatabaseEnv.requestsDbPassword.name,
  reports: setupDatabaseEnv.reportsDbPassword.name,
};

function log(message: string): void {
  console.log(`[setup-database] ${message}`);
}

function fail(message: string): void {
  console.error(`[setup-database] ERROR ${message}`);
}

/** `postgres://user:***@host:port/db`: safe to print. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable URL>";
  }
}

/** Errors worth retrying while Postgres is still starting (or its DNS name not yet resolvable). */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "57P03"].includes(code)
  );
}

async function withRetry<T>(what: string, action: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      const delay = Math.min(500 * 2 ** (attempt - 1), 5_000);
      log(`${what}: Postgres not reachable yet (${(error as { code: string }).code}); retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Runs the whole setup; throws on the first failure. */
export async function setupDatabase(config: SetupDatabaseConfig): Promise<Record<ServiceName, boolean>> {
  const passwords: Partial<Record<ServiceName, string>> = {};
  const given = {
    users: config.usersDbPassword,
    dispensers: config.dispensersDbPassword,
    requests: config.requestsDbPassword,
    reports: config.reportsDbPassword,
  } satisfies Record<ServiceName, string | undefined>;
  const missing: string[] = [];
  for (const service of serviceNames) {
    const password = given[service];
    if (password !== undefined) passwords[service] = password;
    else missing.push(passwordVariables[service]);
  }
  if (missing.length > 0) {
    if (config.nodeEnv === "production") {
      throw new ConfigError(missing.map((name) => `${name} is required when NODE_ENV=production`));
    }
    log(`using development passwords for ${missing.join(", ")} (set them for any shared or production database)`);
  }
  if (config.seedDemoData && config.nodeEnv === "production") {
    log("WARNING SEED_DEMO_DATA=true with NODE_ENV=production: demo accounts with a public password will exist");
  }

  log(`database ${maskUrl(config.databaseUrl)}`);
  let started = Date.now();
  const urls = await withRetry("bootstrap roles", () =>
    bootstrapRoles(config.databaseUrl, passwords, { statementTimeoutMs: config.statementTimeoutMs }),
  );
  log(
    `roles and schemas ready: ${serviceNames.map(serviceRole).join(", ")}, statement timeout ${config.statementTimeoutMs} ms (${Date.now() - started} ms)`,
  );

  for (const service of serviceNames) {
    started = Date.now();
    await migrateService(service, urls[service]);
    log(`${service}: migrations applied (${Date.now() - started} ms)`);
  }

  const seeded: Record<ServiceName, boolean> = { users: false, dispensers: false, requests: false, reports: false };
  if (!config.seedDemoData) {
    log("demo data not seeded (SEED_DEMO_DATA is not true)");
    return seeded;
  }
  for (const service of serviceNames) {
    started = Date.now();
    seeded[service] = await seedService(service, urls[service]);
    log(
      `${service}: ${seeded[service] ? "demo data seeded" : "already has data, not seeded"} (${Date.now() - started} ms)`,
    );
  }
  return seeded;
}

async function main(): Promise<number> {
  let config: SetupDatabaseConfig;
  try {
    config = loadConfig(setupDatabaseEnv);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const started = Date.now();
  try {
    await setupDatabase(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(error.message);
      return 2;
    }
    // Postgres and network errors carry a code; their stack traces only show driver internals.
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof code === "string") fail(`${error.message} (${code})`);
    else fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
  log(`done in ${Date.now() - started} ms`);
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main();
}
