/**
 * The demo seed writes the lifecycle events of the requests it creates, so after a fresh start
 * the reports over the seeded period show the seeded history, with the figures the requests
 * tables give; and the consumers that act on those events leave the seeded world as it was:
 * the dispensers service adds no seeded RESTOCK delivery to a cabinet again.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { STREAM_NAME } from "@asky/contracts";
import { requestId } from "@asky/db/seed/ids";
import { RESTOCK_DELIVERED_CONSUMER, seededEventId } from "@asky/db/seed/request-events";
import { asGateway, eventually } from "@asky/stack/testing";
import { adminPool, expectedConsumption, expectedTurnaround, readModelCaughtUp } from "./support.js";
import { figuresOf } from "./report-queries.js";

/** The seed plans 41 requests, ids requestId(0..40). */
const seededIds = Array.from({ length: 41 }, (_unused, index) => requestId(index));
const pharmacist = asGateway("pharmacist@asky.dev");
/** Events carry instants to the millisecond, the database to the microsecond: 2 ms apart at most. */
const TWO_MS_IN_MINUTES = 2 / 60_000;
const close = (actual: number | null, expected: number | null) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(TWO_MS_IN_MINUTES);
};

let pool: pg.Pool;
/** The seeded period: from the first seeded creation to just after the last seeded change. */
let from: Date;
let to: Date;

beforeAll(async () => {
  pool = adminPool();
  const { rows } = await pool.query<{ first: Date; last: Date }>(
    `SELECT min(r.created_at) AS first, (SELECT max(h.at) FROM requests.request_history h
       WHERE h.request_id = ANY($1::uuid[])) + interval '1 millisecond' AS last
     FROM requests.requests r WHERE r.id = ANY($1::uuid[])`,
    [seededIds],
  );
  from = rows[0]!.first;
  to = rows[0]!.last;
  await readModelCaughtUp(pool, from);
}, 120_000);

afterAll(async () => {
  await pool.end();
});

describe("the seeded history in the reports", () => {
  it("is in the outbox, one event per history row, published", async () => {
    const { rows } = await pool.query<{ history: number; events: number; unpublished: number }>(
      `SELECT (SELECT count(*)::int FROM requests.request_history WHERE request_id = ANY($1::uuid[])) AS history,
         count(*)::int AS events, count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished
       FROM requests.outbox WHERE payload -> 'data' ->> 'requestId' = ANY($1::text[])
         AND subject IN ('asky.requests.created', 'asky.requests.status_changed')`,
      [seededIds],
    );
    expect(rows[0]!.history).toBeGreaterThan(seededIds.length);
    expect(rows[0]!.events).toBe(rows[0]!.history);
    expect(rows[0]!.unpublished).toBe(0);
  });

  it("gives turnaround and consumption equal to the requests tables' figures", async () => {
    const { turnaround, consumption } = await figuresOf(pharmacist, from, to);
    const expected = await expectedTurnaround(pool, from, to);
    expect(turnaround.length).toBeGreaterThan(0);
    expect(turnaround.map((row) => [row.group.priority, row.requests])).toEqual(
      expected.map((row) => [row.priority, row.requests]),
    );
    expect(turnaround.reduce((sum, row) => sum + row.requests, 0)).toBe(seededIds.length);
    turnaround.forEach((row, index) => {
      for (const stage of ["accepted", "dispatched", "delivered"] as const) {
        const want = expected[index]![stage];
        expect(row[stage].count, `${row.group.priority} ${stage}`).toBe(want.count);
        close(row[stage].p50Minutes, want.p50Minutes);
        close(row[stage].p90Minutes, want.p90Minutes);
        close(row[stage].p95Minutes, want.p95Minutes);
      }
    });
    expect(turnaround.some((row) => row.delivered.count > 0)).toBe(true);

    const consumed = await expectedConsumption(pool, from, to);
    expect(consumption.length).toBeGreaterThan(0);
    expect(consumption.map((row) => [row.group.ward, row.group.itemId, row.quantity, row.cost, row.requests])).toEqual(
      consumed.map((row) => [row.ward, row.item_id, row.quantity, row.cost, row.requests]),
    );
  });
});

describe("the seeded RESTOCK deliveries", () => {
  it("are acknowledged by the dispensers service without adding to the cabinets or raising stock_low", async () => {
    const { rows: delivered } = await pool.query<{ id: string; dispenser_id: string; version: number }>(
      `SELECT id, dispenser_id, version FROM requests.requests
       WHERE id = ANY($1::uuid[]) AND kind = 'RESTOCK' AND status = 'DELIVERED'`,
      [seededIds],
    );
    expect(delivered.length).toBeGreaterThan(0);
    // The consumer has read every stored event of its subject: the seeded deliveries were offered to it.
    const nc = await connect({ servers: inject("natsUrl"), name: "asky-test-seeded-restock" });
    try {
      const jsm = await jetstreamManager(nc);
      await eventually(
        async () => {
          const info = await jsm.consumers.info(STREAM_NAME, RESTOCK_DELIVERED_CONSUMER);
          return info.num_pending === 0 && info.num_ack_pending === 0;
        },
        60_000,
        "the dispensers' restock consumer to have read the seeded events",
      );
    } finally {
      await nc.close();
    }
    const ids = delivered.map((row) => row.id);
    const cabinets = delivered.map((row) => row.dispenser_id);
    const { rows } = await pool.query<{ processed: number; movements: number; stock_low: number }>(
      `SELECT
         (SELECT count(*)::int FROM dispensers.processed_events
           WHERE consumer = $3 AND event_id = ANY($4::text[])) AS processed,
         (SELECT count(*)::int FROM dispensers.stock_movements
           WHERE source_event_id LIKE ANY (SELECT 'restock:' || x || ':%' FROM unnest($1::text[]) x)) AS movements,
         (SELECT count(*)::int FROM dispensers.outbox WHERE subject = 'asky.dispensers.stock_low'
           AND payload -> 'data' ->> 'dispenserId' = ANY($2::text[])) AS stock_low`,
      [ids, cabinets, RESTOCK_DELIVERED_CONSUMER, delivered.map((row) => seededEventId(row.id, row.version))],
    );
    expect(rows[0]).toEqual({ processed: delivered.length, movements: 0, stock_low: 0 });
  });
});
