import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { migrateService, migrationsFolder, migrationsSchema, type ServiceName } from "../../src/index.js";

/** A copy of a service's migrations that stops just before `tag`. */
function migrationsBefore(service: ServiceName, tag: string): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), "asky-migrations-"));
  cpSync(migrationsFolder(service), folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  if (index < 0) throw new Error(`no migration ${tag}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, index) }));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Tests an upgrade the way a deployed database meets it: migrates the service's schema to the
 * step before `tag`, lets `seed` write rows of the old shape there, then runs the real
 * migration as a starting service does.
 */
export async function upgradeFrom(
  service: ServiceName,
  serviceUrl: string,
  tag: string,
  seed: (client: pg.Client) => Promise<void>,
): Promise<void> {
  const before = migrationsBefore(service, tag);
  const client = new pg.Client({ connectionString: serviceUrl });
  await client.connect();
  try {
    await migrate(drizzle(client), {
      migrationsFolder: before.folder,
      migrationsSchema: migrationsSchema(service),
      migrationsTable: "__drizzle_migrations",
    });
    await seed(client);
  } finally {
    await client.end();
    before.remove();
  }
  await migrateService(service, serviceUrl);
}
