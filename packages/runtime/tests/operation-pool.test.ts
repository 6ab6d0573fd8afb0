/**
 * One operation may not hold the whole pool: against the test stack's Postgres, an
 * operation that fires many statements at once runs at most its share of connections
 * (counted in pg_stat_activity by application name), and another operation is served
 * meanwhile. Transactions keep working through the per-operation view.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import type {} from "@asky/stack/testing";
import { createDatabase } from "../src/database.js";
import { OperationPool } from "../src/operation-pool.js";

const applicationName = `asky-operation-pool-${randomBytes(4).toString("hex")}`;
const database = createDatabase(
  inject("adminDatabaseUrl"),
  {},
  { applicationName, maxConnections: 10, connectionsPerOperation: 2 },
);
const observer = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 1 });
const scratch = `operation_pool_${randomBytes(4).toString("hex")}`;

afterAll(async () => {
  await observer.query(`drop table if exists public.${scratch}`);
  await Promise.all([database.close(), observer.end()]);
});

/**
 * Connections of the pool under test that are sleeping in a statement right now. Only the
 * sleeps count: another operation's quick statement, sampled while it runs on a loaded
 * machine, is not one of the fan-out's and once made the peak read 3.
 */
async function busyConnections(): Promise<number> {
  const { rows } = await observer.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
      where application_name = $1 and state = 'active' and query like 'select pg_sleep%'`,
    [applicationName],
  );
  return rows[0]!.n;
}

/** Runs `work` while sampling busyConnections(); returns the peak seen. */
async function peakWhile(work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => (done = true)).catch(() => undefined);
  let peak = 0;
  while (!done) {
    peak = Math.max(peak, await busyConnections());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await work;
  return peak;
}

/** drizzle wraps what the driver throws in a DrizzleQueryError; the driver's message is its cause's. */
const causeOf = (error: unknown): string | undefined =>
  error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;

const sleeps = (db: ReturnType<typeof database.forOperation>, count: number, seconds: number) =>
  Promise.all(Array.from({ length: count }, () => db.execute(sql`select pg_sleep(${seconds})`)));

describe("connections per operation", () => {
  it("runs eight concurrent statements of one operation two at a time, and serves another operation meanwhile", async () => {
    const wide = database.forOperation();
    const started = Date.now();
    const fanOut = sleeps(wide, 8, 0.25);
    const observed = peakWhile(fanOut);

    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = database.forOperation();
    const asked = Date.now();
    await other.execute(sql`select 1`);
    const otherLatency = Date.now() - asked;

    expect(await observed).toBe(2);
    // Eight statements of 250 ms, two at a time: four rounds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 250 - 20);
    // The other operation did not queue behind the first one's eight statements.
    expect(otherLatency).toBeLessThan(250);
  });

  it("is what limits the operation: the process-wide instance runs the same eight at once", async () => {
    expect(await peakWhile(sleeps(database.db as ReturnType<typeof database.forOperation>, 8, 0.25))).toBeGreaterThan(
      2,
    );
  });

  it("runs a transaction on one connection that it holds to the end, commits and rolls back", async () => {
    const db = database.forOperation();
    await db.execute(sql.raw(`create table public.${scratch} (id int primary key)`));
    const seen = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`insert into public.${scratch} values (1)`));
      // Meanwhile the operation's other slot still serves statements outside the transaction.
      const outside = await db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from public.${scratch}`));
      const inside = await tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from public.${scratch}`));
      const nested = await tx
        .transaction(async (savepoint) => {
          await savepoint.execute(sql.raw(`insert into public.${scratch} values (2)`));
          throw new Error("undo the savepoint");
        })
        .catch((error: Error) => error.message);
      return { outside: outside.rows[0]!.n, inside: inside.rows[0]!.n, nested };
    });
    expect(seen).toEqual({ outside: 0, inside: 1, nested: "undo the savepoint" });

    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql.raw(`insert into public.${scratch} values (3)`));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const { rows } = await observer.query<{ id: number }>(`select id from public.${scratch} order by id`);
    expect(rows.map((row) => row.id)).toEqual([1]);
    expect(database.pool.totalCount - database.pool.idleCount).toBe(0);
  });

  it("fails a statement that cannot get a slot in time instead of waiting forever", async () => {
    const operation = new OperationPool(database.pool, 1, 200);
    const db = drizzle(operation as unknown as pg.Pool);
    // The transaction holds the only slot; a statement outside it waits for a slot that
    // frees only when the transaction ends, which waits for that statement.
    const failure = await db.transaction(async () => db.execute(sql`select 1`)).catch((error: Error) => error);
    expect(causeOf(failure)).toMatch(/waiting for one of this operation's 1 database connections/);
    expect(operation.active).toBe(0);
    expect((await db.execute<{ one: number }>(sql`select 1 as one`)).rows).toEqual([{ one: 1 }]);
  });

  it("gives the connection back, destroyed, when a transaction's BEGIN fails", async () => {
    const broken = new Error("Connection terminated unexpectedly");
    const released: unknown[] = [];
    const client = { query: () => Promise.reject(broken), release: (error?: Error) => void released.push(error) };
    const pool = { connect: () => Promise.resolve(client) } as unknown as pg.Pool;
    const operation = new OperationPool(pool, 1, 200);
    const failure = await drizzle(operation as unknown as pg.Pool)
      .transaction(async () => "never")
      .catch((error: Error) => error);
    expect(causeOf(failure)).toBe(broken.message);
    // drizzle skips release() when BEGIN throws; the client must not stay checked out.
    expect(released).toEqual([broken]);
    expect(operation.active).toBe(0);
  });
});
