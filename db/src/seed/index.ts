import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { ServiceName } from "../services.js";
import { seedDispensers } from "./dispensers.js";
import { seedRequests } from "./requests.js";
import { seedUsers } from "./users.js";

const seeders = {
  users: seedUsers,
  dispensers: seedDispensers,
  requests: seedRequests,
  // The reports read model is projected from the event stream, never seeded.
  reports: () => Promise.resolve(false),
} as const;

/**
 * Seeds one service's demo data, connected as that service's role (`databaseUrl` from
 * `bootstrapRoles`), in one transaction. Seed once: returns `false` without writing when the
 * schema already has data, `true` when it seeded. A transaction-scoped advisory lock makes
 * concurrent callers wait, then see the data and return `false`; they wait without the role's
 * statement timeout, as long as the first seeder takes (it hashes passwords inside the lock).
 */
export async function seedService(service: ServiceName, databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: `asky-seed-${service}` });
  await client.connect();
  try {
    await client.query("SET statement_timeout = 0");
    const db = drizzle(client);
    return await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`asky:seed:${service}`}))`);
      return seeders[service](tx);
    });
  } finally {
    await client.end();
  }
}

export { DEMO_PASSWORD, people, type SeedPerson } from "./people.js";
export { dispenserId, itemId, requestId, seedId, userId, uuidV5 } from "./ids.js";
export { cpfCheckDigits, deterministicCpf, formatCpf, isValidCpf, normalizeCpf } from "./cpf.js";
