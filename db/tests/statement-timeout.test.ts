/**
 * Every session of a service role has a statement timeout (DB_STATEMENT_TIMEOUT_MS, 5 s by
 * default), whoever opens it; the service pools send the same value. Migrations and the
 * seed, which connect as the role and may wait on each other's locks, lift it.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase } from "@asky/runtime";
import { emptyDatabase, stackRolePasswords, type EmptyDatabase } from "@asky/stack/testing";
import { bootstrapRoles, migrateService, seedService, serviceNames, type ServiceName } from "../src/index.js";

async function statementTimeoutOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ statement_timeout: string }>("show statement_timeout");
    return rows[0]!.statement_timeout;
  } finally {
    await client.end();
  }
}

describe("statement timeout of the service roles", () => {
  it.each(serviceNames)("is 5 s for every session of asky_%s", async (service) => {
    expect(await statementTimeoutOf(inject("serviceDatabaseUrls")[service])).toBe("5s");
  });

  it("is what a service's pool uses too", async () => {
    const database = createDatabase(
      inject("serviceDatabaseUrls").requests,
      {},
      { applicationName: "asky-timeout-test" },
    );
    try {
      const { rows } = await database.pool.query<{ statement_timeout: string }>("show statement_timeout");
      expect(rows[0]!.statement_timeout).toBe("5s");
    } finally {
      await database.close();
    }
  });

  describe("set by bootstrapRoles, per database", () => {
    let database: EmptyDatabase;
    let urls: Record<ServiceName, string>;

    beforeAll(async () => {
      database = await emptyDatabase("asky_timeout");
      // 1 ms: no statement of a migration or a seed would finish within it.
      urls = await bootstrapRoles(database.adminUrl, stackRolePasswords(), { statementTimeoutMs: 1 });
    });

    afterAll(async () => {
      await database?.drop();
    });

    it("cancels a role's statement past it, in that database only", async () => {
      expect(await statementTimeoutOf(urls.users)).toBe("1ms");
      const client = new pg.Client({ connectionString: urls.users });
      await client.connect();
      try {
        await expect(client.query("select pg_sleep(0.2)")).rejects.toMatchObject({ code: "57014" });
      } finally {
        await client.end();
      }
      expect(await statementTimeoutOf(inject("serviceDatabaseUrls").users)).toBe("5s");
    });

    it("does not apply to migrations and the seed, which lift it for their sessions", async () => {
      for (const service of serviceNames) await migrateService(service, urls[service]);
      // The reports read model is projected from the stream, never seeded: it has nothing to write.
      for (const service of serviceNames)
        expect(await seedService(service, urls[service]), service).toBe(service !== "reports");
    });
  });
});
