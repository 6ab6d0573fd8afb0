import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";

const clients: pg.Client[] = [];
async function connectAs(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end()));
});

describe("per-service database roles", () => {
  it("let the requests role read its own schema but not users.users", async () => {
    const client = await connectAs(inject("serviceDatabaseUrls").requests);
    const own = await client.query("select count(*)::int as n from requests.requests");
    expect(own.rows[0].n).toBeGreaterThan(0);
    await expect(client.query("select * from users.users limit 1")).rejects.toThrow(/permission denied/);
  });

  it.each([
    ["users", "select 1 from dispensers.dispensers limit 1"],
    ["users", "select 1 from requests.requests limit 1"],
    ["dispensers", "select 1 from users.users limit 1"],
    ["dispensers", "select 1 from requests.outbox limit 1"],
    ["requests", "select 1 from dispensers.stock_levels limit 1"],
    ["requests", "select 1 from drizzle_users.__drizzle_migrations limit 1"],
  ] as const)("deny %s: %s", async (service, statement) => {
    const client = await connectAs(inject("serviceDatabaseUrls")[service]);
    await expect(client.query(statement)).rejects.toThrow(/permission denied/);
  });

  it("do not let a service role create objects outside its schema", async () => {
    const client = await connectAs(inject("serviceDatabaseUrls").users);
    await expect(client.query("create table public.sneaky (id int)")).rejects.toThrow(/permission denied/);
  });
});
