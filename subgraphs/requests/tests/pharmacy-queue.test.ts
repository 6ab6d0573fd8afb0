/**
 * pharmacyQueue (issue 17): requests in progress, past due first, then STAT > ASAP > URGENT >
 * ROUTINE, then due time; keyset pages that keep that order while the clock runs; a nurse's
 * queue is her ward's. The ward holds seeded requests and whatever other tests leave open, so
 * the order is checked on this test's own requests, and the counts against the database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoAccount } from "@asky/stack/testing";
import {
  admin,
  adminPool,
  ask,
  change,
  codeOf,
  create,
  dipirona,
  newCabinet,
  nurse,
  ok,
  pharmacist,
} from "./support.js";

const pool = adminPool();
afterAll(() => pool.end());

const ward = "ONCOLOGIA";
const ids: Record<string, string> = {};

interface QueuePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; ward: string; priority: string; sla: { breached: boolean } | null } }[];
}

const queueQuery = `query($first: Int, $after: String, $ward: String, $kind: RequestKind) {
  pharmacyQueue(first: $first, after: $after, ward: $ward, kind: $kind) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id ward priority sla { breached } } } } }`;

const queue = async (variables: Record<string, unknown>, account: DemoAccount = pharmacist) =>
  (await ok<{ pharmacyQueue: QueuePage }>(account, queueQuery, variables)).pharmacyQueue;

beforeAll(async () => {
  const cabinet = await newCabinet(ward);
  const make = (priority: string) =>
    create(pharmacist, {
      kind: "MEDICATION",
      priority,
      dispenserId: cabinet,
      items: [{ itemId: dipirona, quantity: 1 }],
    });
  // Made in an order that matches neither creation order nor priority order.
  for (const name of ["routine", "stat", "urgent", "lateRoutine", "asap", "closed"]) {
    const priority = name === "lateRoutine" ? "ROUTINE" : name.toUpperCase();
    ids[name] = (await make(priority === "CLOSED" ? "STAT" : priority)).id;
  }
  // lateRoutine's accept window has run out: it goes before every STAT on time.
  await pool.query(`update requests.requests set sla_due_at = now() - interval '1 minute' where id = $1`, [
    ids.lateRoutine,
  ]);
  await change(pharmacist, {
    requestId: ids.closed,
    status: "REJECTED",
    expectedVersion: 1,
    reasonCode: "OUT_OF_STOCK",
  });
});

const expected = () => [ids.lateRoutine, ids.stat, ids.asap, ids.urgent, ids.routine];
const mine = (page: QueuePage) =>
  page.edges.map((edge) => edge.node.id).filter((id) => Object.values(ids).includes(id));

/** The ward's requests still on the clock, as the database has them. */
async function openInWard(kind?: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from requests.requests
     where ward = $1 and sla_stage is not null and ($2::text is null or kind::text = $2)`,
    [ward, kind ?? null],
  );
  return rows[0]!.n;
}

describe("pharmacyQueue", () => {
  it("puts the past-due request first, then by priority, and leaves closed requests out", async () => {
    const page = await queue({ ward, first: 100 });
    expect(mine(page)).toEqual(expected());
    expect(page.totalCount).toBe(await openInWard());
    expect(page.edges).toHaveLength(page.totalCount);
    // Every past-due request before every other; among each, by priority.
    const breached = page.edges.map((edge) => edge.node.sla?.breached);
    expect(breached).toEqual([...breached].sort((a, b) => Number(b) - Number(a)));
    const rank = ["STAT", "ASAP", "URGENT", "ROUTINE"];
    for (const half of [true, false]) {
      const ranks = page.edges
        .filter((edge) => edge.node.sla?.breached === half)
        .map((edge) => rank.indexOf(edge.node.priority));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it("walks the same order one request per page", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: QueuePage = await queue({ ward, first: 1, after });
      seen.push(...mine(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected());
  });

  it("keeps judging past due at the first page's instant while paging on", async () => {
    // A page ending at the STAT request (whatever else of the ward comes before it).
    const all = await queue({ ward, first: 100 });
    const upTo = all.edges.findIndex((edge) => edge.node.id === ids.stat) + 1;
    const first = await queue({ ward, first: upTo });
    expect(mine(first)).toEqual(expected().slice(0, 2));
    // The ROUTINE at the end falls due between two pages: the walk neither repeats nor skips anything.
    // Due now: after the first page's instant, before the next walk's.
    await pool.query(`update requests.requests set sla_due_at = now() where id = $1`, [ids.routine]);
    const rest = await queue({ ward, first: 100, after: first.pageInfo.endCursor });
    expect(mine(rest)).toEqual(expected().slice(2));
    // A new walk sees it past due, behind the request that fell due before it.
    const fresh = await queue({ ward, first: 100 });
    expect(mine(fresh).slice(0, 2)).toEqual([ids.lateRoutine, ids.routine]);
    await pool.query(`update requests.requests set sla_due_at = created_at + interval '1 hour' where id = $1`, [
      ids.routine,
    ]);
  });

  it("filters by kind", async () => {
    const restock = await queue({ ward, kind: "RESTOCK", first: 100 });
    expect(restock.totalCount).toBe(await openInWard("RESTOCK"));
    expect(mine(restock)).toEqual([]);
    const medication = await queue({ ward, kind: "MEDICATION", first: 100 });
    expect(medication.totalCount).toBe(await openInWard("MEDICATION"));
    expect(mine(medication)).toEqual(expected());
  });

  it("shows a nurse her own ward only, and refuses another ward", async () => {
    const own = await queue({ first: 50 }, nurse);
    expect(own.edges.every((edge) => edge.node.ward === "UTI-ADULTO")).toBe(true);
    expect(codeOf(await ask(nurse, queueQuery, { ward }))).toBe("FORBIDDEN");
    expect((await queue({ ward }, admin)).totalCount).toBe(await openInWard());
  });

  it("refuses hostile arguments with codes", async () => {
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const id = "ffffffff-ffff-4fff-bfff-ffffffffffff";
    const at = "2026-03-01T10:00:00.000000Z";
    const refusals: Record<string, unknown>[] = [
      { first: 101 },
      { first: -1 },
      { ward: "W".repeat(41) },
      { after: "not a cursor" },
      { after: "A".repeat(600) },
      // Another connection's cursor (Query.requests: a timestamp and an id).
      { after: cursorOf([at, id]) },
      { after: cursorOf([`${at}|0|PIZZA|${at}`, id]) },
      { after: cursorOf([`${at}|2|STAT|${at}`, id]) },
      { after: cursorOf([`${at}|0|STAT|2026-02-30T10:00:00Z`, id]) },
      { after: cursorOf([`${at}|0|STAT|${at}|extra`, id]) },
      { after: cursorOf([`${at}|0|STAT|${at}`, "1; drop table requests"]) },
    ];
    for (const variables of refusals) {
      expect(codeOf(await ask(pharmacist, queueQuery, { ward, ...variables })), JSON.stringify(variables)).toBe(
        "BAD_USER_INPUT",
      );
    }
  });
});
