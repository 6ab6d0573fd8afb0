import { connect } from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { testStack } from "@asky/stack/testing";

const stack = testStack();

/** Reads the INFO line a NATS server sends first on every connection. */
function natsInfo(url: string): Promise<Record<string, unknown>> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let buffer = "";
    socket.setTimeout(5_000, () => socket.destroy(new Error("no INFO line within 5 s")));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const end = buffer.indexOf("\r\n");
      if (end < 0) return;
      socket.end();
      const line = buffer.slice(0, end);
      if (!line.startsWith("INFO ")) reject(new Error(`unexpected first line: ${line}`));
      else resolve(JSON.parse(line.slice(5)) as Record<string, unknown>);
    });
    socket.on("error", reject);
  });
}

describe("test stack", () => {
  it("has a Postgres that answers the admin URL", async () => {
    const client = new pg.Client({ connectionString: stack.adminDatabaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; db: string }>("select 1 as one, current_database() as db");
      expect(rows[0]).toEqual({ one: 1, db: "asky" });
    } finally {
      await client.end();
    }
  });

  it("gives every service its own database role", async () => {
    const users = new Set<string>();
    for (const url of Object.values(stack.serviceDatabaseUrls)) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ user: string; superuser: string }>(
          "select current_user as user, current_setting('is_superuser') as superuser",
        );
        expect(rows[0]?.superuser).toBe("off");
        users.add(rows[0]?.user ?? "");
      } finally {
        await client.end();
      }
    }
    expect(users.size).toBe(Object.keys(stack.serviceDatabaseUrls).length);
    expect(users.size).toBe(4);
  });

  it("has a NATS server with JetStream", async () => {
    const info = await natsInfo(stack.natsUrl);
    expect(info.server_id).toEqual(expect.any(String));
    expect(info.jetstream).toBe(true);
  });

  it.each(["users", "dispensers", "requests", "gateway"] as const)("%s answers GET /health with 200", async (id) => {
    const response = await fetch(stack.healthUrls[id]);
    expect(response.status).toBe(200);
  });

  it("points the gateway URL at /graphql", () => {
    expect(new URL(stack.gatewayUrl).pathname).toBe("/graphql");
    for (const url of Object.values(stack.subgraphUrls)) expect(new URL(url).pathname).toBe("/graphql");
  });
});
