/**
 * Post-generate step (run by `npm run generate -w @asky/db`).
 *
 * drizzle-kit emits `CREATE SCHEMA "<service>";` in a service's first migration, but the schema is
 * pre-created by `bootstrapRoles` (owned by the service role), so the statement must be
 * idempotent. This rewrites it to `CREATE SCHEMA IF NOT EXISTS "<service>";` in every generated
 * SQL file. Safe to run repeatedly. (The drizzle migrator does not verify file hashes against
 * already-applied migrations, so rewriting is harmless; it is only ever done right after generate.)
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../migrations/", import.meta.url));

let changed = 0;
for (const service of readdirSync(root)) {
  const dir = join(root, service);
  if (!statSync(dir).isDirectory()) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql"))) {
    const path = join(dir, file);
    const before = readFileSync(path, "utf8");
    const after = before.replace(/^CREATE SCHEMA "([^"]+)";/gm, 'CREATE SCHEMA IF NOT EXISTS "$1";');
    if (after !== before) {
      writeFileSync(path, after);
      changed++;
      console.log(`idempotent CREATE SCHEMA: migrations/${service}/${file}`);
    }
  }
}
if (changed === 0) console.log("idempotent CREATE SCHEMA: nothing to rewrite");
