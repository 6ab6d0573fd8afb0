/**
 * The read model's figures against the requests database, through the gateway: turnaround
 * percentiles, fill rate and consumption equal what the test computes from the source of
 * truth, in the hospital's calendar; a redelivered, late or backwards event changes nothing.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStored, requestCreated, requestStatusChanged } from "@asky/contracts";
import { asGateway, eventsOf, eventually, readStream, testStack } from "@asky/stack/testing";
import {
  adminPool,
  expectedConsumption,
  expectedFillRate,
  expectedTurnaround,
  readModelCaughtUp,
  walkADay,
} from "./support.js";
import { TURNAROUND, figuresOf, type Figures } from "./report-queries.js";

const pharmacist = asGateway("pharmacist@asky.dev");
let pool: pg.Pool;
let from: Date;
let to: Date;
let requestIds: string[];

const figures = () => figuresOf(pharmacist, from, to);
/** Events carry instants to the millisecond, the database to the microsecond: 2 ms apart at most. */
const TWO_MS_IN_MINUTES = 2 / 60_000;
const close = (actual: number | null, expected: number | null) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(TWO_MS_IN_MINUTES);
};

beforeAll(async () => {
  pool = adminPool();
  // The database's clock: the one requests are stamped with.
  from = (await pool.query<{ now: Date }>("SELECT now() - interval '1 millisecond' AS now")).rows[0]!.now;
  requestIds = await walkADay();
  to = new Date(Date.now() + 3_600_000);
  await readModelCaughtUp(pool, from);
}, 120_000);

afterAll(async () => {
  await pool.end();
});

describe("reports figures", () => {
  it("equal those computed from the requests database", async () => {
    const { turnaround, fillRate, consumption } = await figures();
    const expected = await expectedTurnaround(pool, from, to);
    expect(turnaround.map((row) => [row.group.priority, row.requests])).toEqual(
      expected.map((row) => [row.priority, row.requests]),
    );
    expect(turnaround.map((row) => row.group.priority).sort()).toEqual(["ROUTINE", "STAT", "URGENT"]);
    turnaround.forEach((row, index) => {
      for (const stage of ["accepted", "dispatched", "delivered"] as const) {
        const want = expected[index]![stage];
        expect(row[stage].count).toBe(want.count);
        close(row[stage].p50Minutes, want.p50Minutes);
        close(row[stage].p90Minutes, want.p90Minutes);
        close(row[stage].p95Minutes, want.p95Minutes);
      }
    });
    // The STAT went all the way; the ROUTINE pair has one delivered, one cancelled.
    const stat = turnaround.find((row) => row.group.priority === "STAT")!;
    expect(stat.delivered.count).toBe(1);

    const fills = await expectedFillRate(pool, from, to);
    expect(fillRate.map((row) => [row.group.ward, row.linesRequested, row.linesFilled])).toEqual(
      fills.map((row) => [row.ward, row.requested, row.filled]),
    );
    // Four lines delivered in UTI-ADULTO, the short dipirona the only one not in full.
    expect(fillRate).toEqual([{ group: { ward: "UTI-ADULTO" }, linesRequested: 4, linesFilled: 3, fillRate: 0.75 }]);

    const consumed = await expectedConsumption(pool, from, to);
    expect(consumption.map((row) => [row.group.ward, row.group.itemId, row.quantity, row.cost, row.requests])).toEqual(
      consumed.map((row) => [row.ward, row.item_id, row.quantity, row.cost, row.requests]),
    );
    expect(consumption.length).toBe(2);
  });

  it("do not change when an event is delivered again, or an older one arrives late", async () => {
    const before = await figures();
    const [delivered] = requestIds;
    const stored = await readStream("asky.requests.>");
    const ofRequest = eventsOf(stored, delivered!)
      .map((event) =>
        event.subject === requestCreated.subject
          ? parseStored(requestCreated, event.envelope)
          : parseStored(requestStatusChanged, event.envelope),
      )
      .filter((event) => event !== null);
    const created = ofRequest.find((event) => event.data.previousStatus === null)!;
    const accepted = ofRequest.find((event) => event.data.status === "ACCEPTED")!;
    expect(created && accepted).toBeTruthy();
    // Under new ids (JetStream would drop a repeated msgID) and an hour later: the creation
    // again, and the acceptance after the delivery. Neither may move a time or the status.
    const later = new Date(Date.now() + 3_600_000);
    const replays = [
      requestCreated.build(created.data, { id: randomUUID(), occurredAt: later }),
      requestStatusChanged.build(accepted.data, { id: randomUUID(), occurredAt: later }),
    ];
    const nc = await connect({ servers: testStack().natsUrl });
    for (const event of replays) {
      await jetstream(nc).publish(event.subject, JSON.stringify(event), { msgID: event.id });
    }
    await nc.drain();
    await eventually(
      async () => {
        const { rows } = await pool.query(
          // The read model's consumers (the webhook consumers record the same events too).
          `SELECT 1 FROM reports.processed_events WHERE consumer LIKE 'reports-request-%' AND event_id = ANY($1)`,
          [replays.map((event) => event.id)],
        );
        return rows.length === replays.length;
      },
      30_000,
      "the replayed events processed",
    );
    const { rows } = await pool.query(`SELECT status, version FROM reports.request_facts WHERE request_id = $1`, [
      delivered,
    ]);
    expect(rows[0]).toMatchObject({ status: "DELIVERED" });
    expect(await figures()).toEqual(before);
  });

  it("bucket hours, days and months in the hospital's time zone", async () => {
    const variables = { from: from.toISOString(), to: to.toISOString() };
    const { turnaround } = await pharmacist.ok<{
      turnaround: { group: { hour: number; kind: string }; requests: number }[];
    }>(
      `query($from: DateTime!, $to: DateTime!) { turnaround(from: $from, to: $to, groupBy: [HOUR, KIND]) { group { hour kind } requests } }`,
      variables,
    );
    const hours = await pool.query<{ hour: number; requests: number }>(
      `SELECT extract(hour FROM created_at AT TIME ZONE 'America/Sao_Paulo')::int AS hour, count(*)::int AS requests
       FROM requests.requests WHERE created_at >= $1 AND created_at < $2 GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
    expect(turnaround.map((row) => [row.group.hour, row.group.kind, row.requests])).toEqual(
      hours.rows.map((row) => [row.hour, "MEDICATION", row.requests]),
    );
    const { consumption } = await pharmacist.ok<{
      consumption: { group: { day: string; month: string; dispenserId: string }; requests: number }[];
    }>(
      `query($from: DateTime!, $to: DateTime!) {
        consumption(from: $from, to: $to, groupBy: [DAY, MONTH, DISPENSER]) { group { day month dispenserId } requests }
      }`,
      variables,
    );
    const days = await pool.query<{ day: string; dispenser_id: string; requests: number }>(
      `SELECT to_char(h.at AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM-DD') AS day, r.dispenser_id, count(*)::int AS requests
       FROM requests.requests r JOIN requests.request_history h ON h.request_id = r.id AND h.to_status = 'DELIVERED'
       WHERE h.at >= $1 AND h.at < $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, to],
    );
    expect(consumption.map((row) => [row.group.day, row.group.month, row.group.dispenserId, row.requests])).toEqual(
      days.rows.map((row) => [row.day, row.day.slice(0, 7), row.dispenser_id, row.requests]),
    );
  });

  it("take a request whose status change arrives before its creation", async () => {
    // A request of 2020 (no report of this run reaches it), told backwards: ACCEPTED first.
    const requestId = randomUUID();
    const data = {
      requestId,
      number: "REQ-BACKWARDS",
      kind: "MEDICATION" as const,
      priority: "STAT" as const,
      ward: "UTI-ADULTO",
      dispenserId: randomUUID(),
      requesterId: randomUUID(),
      assigneeId: null,
      actorId: randomUUID(),
      reasonCode: null,
      reason: null,
      items: [],
      lines: [],
    };
    const created = requestCreated.build(
      { ...data, status: "PENDING", previousStatus: null, version: 1 },
      { occurredAt: new Date("2020-01-01T12:00:00Z") },
    );
    const accepted = requestStatusChanged.build(
      { ...data, status: "ACCEPTED", previousStatus: "PENDING", version: 2 },
      { occurredAt: new Date("2020-01-01T12:05:00Z") },
    );
    const nc = await connect({ servers: testStack().natsUrl });
    for (const event of [accepted, created]) {
      await jetstream(nc).publish(event.subject, JSON.stringify(event), { msgID: event.id });
      await eventually(
        async () =>
          (
            await pool.query(
              `SELECT 1 FROM reports.processed_events WHERE consumer LIKE 'reports-request-%' AND event_id = $1`,
              [event.id],
            )
          ).rows.length > 0,
        30_000,
        `${event.type} processed`,
      );
    }
    await nc.drain();
    const { turnaround } = await pharmacist.ok<Pick<Figures, "turnaround">>(TURNAROUND, {
      from: "2020-01-01T00:00:00Z",
      to: "2020-01-02T00:00:00Z",
    });
    expect(turnaround).toEqual([
      expect.objectContaining({
        group: { priority: "STAT" },
        requests: 1,
        accepted: { count: 1, p50Minutes: 5, p90Minutes: 5, p95Minutes: 5 },
        dispatched: { count: 0, p50Minutes: null, p90Minutes: null, p95Minutes: null },
      }),
    ]);
    const { rows } = await pool.query(`SELECT status, version FROM reports.request_facts WHERE request_id = $1`, [
      requestId,
    ]);
    expect(rows).toEqual([{ status: "ACCEPTED", version: 2 }]);
  });
});
