/**
 * Bootstrap roles, migrate and seed every service against a superuser URL:
 *
 *   npm run setup -w @asky/db -- postgres://postgres:pw@localhost:5432/asky
 *   ADMIN_DATABASE_URL=postgres://... npm run setup -w @asky/db
 *
 * Prints one connection URL per service. Idempotent (seeds only an empty schema).
 */
import { bootstrapRoles, migrateService, seedService, serviceNames } from "../src/index.js";

const adminUrl = process.argv[2] ?? process.env.ADMIN_DATABASE_URL;
if (!adminUrl) {
  console.error("usage: tsx scripts/setup.ts <superuser postgres URL>  (or ADMIN_DATABASE_URL)");
  process.exit(2);
}

const urls = await bootstrapRoles(adminUrl);
for (const service of serviceNames) {
  const started = Date.now();
  await migrateService(service, urls[service]);
  const seeded = await seedService(service, urls[service]);
  console.log(`${service}: migrated, ${seeded ? "seeded" : "already seeded"} (${Date.now() - started} ms)`);
}
for (const service of serviceNames) {
  console.log(`${service.toUpperCase()}_DATABASE_URL=${urls[service].replace(/:[^:@/]+@/, ":***@")}`);
}
