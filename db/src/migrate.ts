import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migrationsSchema, type ServiceName } from "./services.js";

/** Folder with the committed drizzle-kit SQL for a service (`db/migrations/<service>`). */
export function migrationsFolder(service: ServiceName): string {
  return fileURLToPath(new URL(`../migrations/${service}`, import.meta.url));
}

/**
 * Applies the pending migrations of one service, connected as that service's role
 * (`databaseUrl` from `bootstrapRoles`), with the journal in schema `drizzle_<service>`.
 * A session-level `pg_advisory_lock` serializes replicas that start together; the
 * migrations themselves run in one transaction (drizzle's migrator). The role's statement
 * timeout is lifted for this session: waiting for another replica's migrations, or building
 * an index on a large table, legitimately takes longer than any service statement.
 */
export async function migrateService(service: ServiceName, databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: `asky-migrate-${service}` });
  await client.connect();
  const lockKey = `asky:migrate:${service}`;
  try {
    await client.query("SET statement_timeout = 0");
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
    try {
      await migrate(drizzle(client), {
        migrationsFolder: migrationsFolder(service),
        migrationsSchema: migrationsSchema(service),
        migrationsTable: "__drizzle_migrations",
      });
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
