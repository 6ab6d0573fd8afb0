/**
 * Turnaround's withinSla (issue 17): with a policy of a few seconds, a request left PENDING is
 * breached while others are delivered in time; the share of settled requests never breached
 * equals the one computed from the requests database (its history and the breaches its clock
 * wrote to the outbox), survives emptying and rebuilding the read model, and does not move when
 * SLA events are delivered again. An SLA event that comes before its request's creation
 * creates the row the creation then completes.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStored, requestCreated, requestStatusChanged, slaBreached, slaWarning } from "@asky/contracts";
import { connectNats } from "@asky/events";
import { createLogger } from "@asky/runtime";
import { asGateway, eventually, readStream, testStack } from "@asky/stack/testing";
import { rebuildReadModel } from "../src/services/rebuild-read-model.js";
import { adminPool, dipirona, readModelCaughtUp } from "./support.js";

const admin = asGateway("admin@asky.dev");
const pharmacist = asGateway("pharmacist@asky.dev");
/** A ward of this test's own, so the figures it checks exactly are its requests only. */
const WARD = "RPT-SLA";
const defaultStat = { acceptWithinSeconds: 300, dispatchWithinSeconds: 900, deliverWithinSeconds: 1800 };
let policyBefore = defaultStat;
let pool: pg.Pool;
let from: Date;
let to: Date;
let breachedId = "";

interface Ref {
  id: string;
  version: number;
}
interface SlaRow {
  group: { priority: string | null };
  requests: number;
  delivered: { count: number };
  withinSla: number | null;
  breached: number;
}

const TURNAROUND = `query($from: DateTime!, $to: DateTime!, $ward: String) {
  turnaround(from: $from, to: $to, groupBy: [PRIORITY], ward: $ward) {
    group { priority } requests delivered { count } withinSla breached
  }
}`;
const turnaround = async (variables: Record<string, unknown> = { from, to, ward: WARD }) =>
  (await pharmacist.ok<{ turnaround: SlaRow[] }>(TURNAROUND, variables)).turnaround;

const setPolicy = (windows: typeof defaultStat) =>
  admin.ok(`mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) { kind } }`, {
    input: { kind: "MEDICATION", priority: "STAT", ...windows },
  });

async function move(request: Ref, status: string): Promise<Ref> {
  const { changeRequestStatus } = await pharmacist.ok<{ changeRequestStatus: Ref }>(
    `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version } }`,
    { input: { requestId: request.id, status, expectedVersion: request.version } },
  );
  return changeRequestStatus;
}

async function deliver(request: Ref): Promise<Ref> {
  let current = request;
  for (const status of ["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"]) current = await move(current, status);
  return current;
}

async function createStat(cabinet: string, priority = "STAT"): Promise<Ref> {
  const { createRequest } = await pharmacist.ok<{ createRequest: Ref }>(
    `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
    { input: { kind: "MEDICATION", priority, dispenserId: cabinet, items: [{ itemId: dipirona, quantity: 1 }] } },
  );
  return createRequest;
}

/**
 * Per priority, over requests of the ward made in [from, to): how many, delivered, settled
 * (delivered, or breached at any stage) and never breached, from the requests database: the
 * first DELIVERED of the history, and the breaches the clock wrote to the outbox.
 */
async function expectedSla() {
  const { rows } = await pool.query<{
    priority: string;
    requests: number;
    delivered: number;
    settled: number;
    met: number;
    breached: number;
  }>(
    `WITH facts AS (
       SELECT r.priority::text AS priority,
         EXISTS (SELECT 1 FROM requests.request_history h WHERE h.request_id = r.id AND h.to_status = 'DELIVERED') AS delivered,
         EXISTS (SELECT 1 FROM requests.outbox o WHERE o.subject = 'asky.requests.sla_breached'
                 AND o.payload->'data'->>'requestId' = r.id::text) AS breached
       FROM requests.requests r WHERE r.ward = $3 AND r.created_at >= $1 AND r.created_at < $2)
     SELECT priority, count(*)::int AS requests, count(*) FILTER (WHERE delivered)::int AS delivered,
       count(*) FILTER (WHERE delivered OR breached)::int AS settled,
       count(*) FILTER (WHERE delivered AND NOT breached)::int AS met,
       count(*) FILTER (WHERE breached)::int AS breached
     FROM facts GROUP BY 1 ORDER BY 1`,
    [from, to, WARD],
  );
  return rows.map((row) => ({
    group: { priority: row.priority },
    requests: row.requests,
    delivered: { count: row.delivered },
    withinSla: row.settled === 0 ? null : row.met / row.settled,
    breached: row.breached,
  }));
}

/** Every warning and breach the clock wrote for the ward's requests is in the read model, and no other. */
async function slaCaughtUp(): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await pool.query<{ behind: number }>(
        `SELECT count(*)::int AS behind FROM requests.requests r
         LEFT JOIN reports.request_facts f ON f.request_id = r.id
         WHERE r.ward = $1 AND r.created_at >= $2
           AND ((f.sla_breached_at IS NOT NULL) IS DISTINCT FROM EXISTS (SELECT 1 FROM requests.outbox o
                  WHERE o.subject = 'asky.requests.sla_breached' AND o.payload->'data'->>'requestId' = r.id::text)
             OR (f.sla_warned_at IS NOT NULL) IS DISTINCT FROM EXISTS (SELECT 1 FROM requests.outbox o
                  WHERE o.subject = 'asky.requests.sla_warning' AND o.payload->'data'->>'requestId' = r.id::text))`,
        [WARD, from],
      );
      return rows[0]!.behind === 0;
    },
    30_000,
    "the read model to hold the clock's warnings and breaches",
  );
}

beforeAll(async () => {
  pool = adminPool();
  const { slaPolicies } = await admin.ok<{
    slaPolicies: (typeof defaultStat & { kind: string; priority: string })[];
  }>(`{ slaPolicies { kind priority acceptWithinSeconds dispatchWithinSeconds deliverWithinSeconds } }`);
  const current = slaPolicies.find((policy) => policy.kind === "MEDICATION" && policy.priority === "STAT");
  if (current) {
    const { acceptWithinSeconds, dispatchWithinSeconds, deliverWithinSeconds } = current;
    policyBefore = { acceptWithinSeconds, dispatchWithinSeconds, deliverWithinSeconds };
  }
  // The ward of this test (no mutation makes wards: the hospital's are installed with the seed).
  await pool.query(
    `INSERT INTO dispensers.wards (code, name, floor) VALUES ($1, 'Reports SLA test', 'Térreo') ON CONFLICT DO NOTHING`,
    [WARD],
  );
  const { createDispenser } = await admin.ok<{ createDispenser: { id: string } }>(
    `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
    {
      input: {
        code: `PYX-RPT-SLA-${randomUUID().slice(0, 8).toUpperCase()}`,
        name: "Reports SLA test cabinet",
        ward: WARD,
        location: "Sala de testes",
        status: "ONLINE",
      },
    },
  );
  const cabinet = createDispenser.id;
  from = (await pool.query<{ now: Date }>("SELECT now() - interval '1 millisecond' AS now")).rows[0]!.now;
  // A few seconds to accept a STAT; the later stages as long as the default, so a request
  // accepted at once is not breached while the test walks it.
  await setPolicy({ ...defaultStat, acceptWithinSeconds: 5 });
  const late = await createStat(cabinet);
  breachedId = late.id;
  // Two delivered in time, one accepted and left open (settled neither way), one ROUTINE delivered.
  await deliver(await createStat(cabinet));
  await deliver(await createStat(cabinet));
  await move(await createStat(cabinet), "ACCEPTED");
  await deliver(await createStat(cabinet, "ROUTINE"));
  await eventually(
    async () =>
      (await pool.query(`SELECT 1 FROM requests.requests WHERE id = $1 AND sla_breached_at IS NOT NULL`, [breachedId]))
        .rows.length > 0,
    60_000,
    "the late request to be breached",
  );
  // Breached, then delivered after all: still breached.
  await deliver({ id: late.id, version: late.version });
  to = new Date(Date.now() + 3_600_000);
  await readModelCaughtUp(pool, from);
  await slaCaughtUp();
}, 180_000);

afterAll(async () => {
  await setPolicy(policyBefore);
  await pool.end();
});

describe("turnaround withinSla", () => {
  it("is the share of settled requests never breached, as the requests database gives it", async () => {
    const rows = await turnaround();
    expect(rows).toEqual(await expectedSla());
    const stat = rows.find((row) => row.group.priority === "STAT")!;
    expect(stat.requests).toBe(4);
    expect(stat.breached).toBeGreaterThanOrEqual(1);
    expect(stat.withinSla).not.toBeNull();
    expect(stat.withinSla!).toBeLessThan(1);
    const { rows: facts } = await pool.query(
      `SELECT status, sla_warned_at IS NOT NULL AS warned, sla_breached_at IS NOT NULL AS breached,
         sla_warned_at <= sla_breached_at AS in_order
       FROM reports.request_facts WHERE request_id = $1`,
      [breachedId],
    );
    expect(facts).toEqual([{ status: "DELIVERED", warned: true, breached: true, in_order: true }]);
  });

  it("does not change when SLA events are delivered again, late or out of order", async () => {
    const before = await turnaround();
    const times = async () =>
      (
        await pool.query(
          `SELECT sla_warned_at, sla_breached_at, status, version FROM reports.request_facts WHERE request_id = $1`,
          [breachedId],
        )
      ).rows;
    const timesBefore = await times();
    const stored = [...(await readStream(slaWarning.subject)), ...(await readStream(slaBreached.subject))].filter(
      (event) => (event.envelope.data as { requestId?: string }).requestId === breachedId,
    );
    expect(stored.map((event) => event.subject).sort()).toEqual([slaBreached.subject, slaWarning.subject]);
    // Under new ids (JetStream would drop a repeated msgID), an hour later, the breach first.
    const later = new Date(Date.now() + 3_600_000);
    const replays = stored.reverse().map((event) => {
      const contract = event.subject === slaBreached.subject ? slaBreached : slaWarning;
      const parsed = parseStored(contract, event.envelope)!;
      return contract.build(parsed.data, { id: randomUUID(), occurredAt: later });
    });
    const nc = await connect({ servers: testStack().natsUrl });
    for (const event of replays) await jetstream(nc).publish(event.subject, JSON.stringify(event), { msgID: event.id });
    await nc.drain();
    await eventually(
      async () =>
        (
          await pool.query(
            `SELECT 1 FROM reports.processed_events WHERE consumer LIKE 'reports-sla-%' AND event_id = ANY($1)`,
            [replays.map((event) => event.id)],
          )
        ).rows.length === replays.length,
      30_000,
      "the replayed SLA events processed",
    );
    expect(await times()).toEqual(timesBefore);
    expect(await turnaround()).toEqual(before);
  });

  it("is the same after the read model is emptied and rebuilt from the stream", async () => {
    const before = await turnaround();
    await pool.query("DELETE FROM reports.request_line_facts");
    await pool.query("DELETE FROM reports.request_facts");
    expect(await turnaround()).toEqual([]);
    const logger = createLogger("reports-rebuild-test", "warn");
    const readModel = new pg.Pool({ connectionString: testStack().serviceDatabaseUrls.reports, max: 2 });
    const nats = await connectNats(testStack().natsUrl, "reports-sla-rebuild-test", logger);
    try {
      await rebuildReadModel({ pool: readModel, nats, logger });
    } finally {
      await nats.drain();
      await readModel.end();
    }
    expect(await turnaround()).toEqual(before);
    expect(await turnaround()).toEqual(await expectedSla());
  });

  it("takes an SLA event that arrives before its request's creation", async () => {
    // Requests of 2019 in a ward of their own: no other report of the suite reaches them.
    const ward = "RPT-SLA-EARLY";
    const common = (requestId: string) => ({
      requestId,
      number: `REQ-EARLY-${requestId.slice(0, 4)}`,
      kind: "MEDICATION" as const,
      priority: "STAT" as const,
      ward,
      dispenserId: randomUUID(),
    });
    const lifecycle = (requestId: string, minute: number) => {
      const data = {
        ...common(requestId),
        requesterId: randomUUID(),
        assigneeId: null,
        actorId: randomUUID(),
        reasonCode: null,
        reason: null,
        items: [],
        lines: [],
      };
      const at = (offset: number) => ({ occurredAt: new Date(Date.UTC(2019, 5, 1, 12, minute + offset)) });
      return [
        requestCreated.build({ ...data, status: "PENDING", previousStatus: null, version: 1 }, at(0)),
        requestStatusChanged.build({ ...data, status: "DELIVERED", previousStatus: "DISPATCHED", version: 5 }, at(30)),
      ] as const;
    };
    const late = randomUUID();
    const [lateCreated, lateDelivered] = lifecycle(late, 0);
    const [onTimeCreated, onTimeDelivered] = lifecycle(randomUUID(), 1);
    const breach = slaBreached.build(
      { ...common(late), status: "PENDING", version: 1, stage: "ACCEPT", dueAt: "2019-06-01T12:05:00Z" },
      { occurredAt: new Date("2019-06-01T12:05:01Z") },
    );
    const nc = await connect({ servers: testStack().natsUrl });
    // The breach alone first: its row exists before the creation is applied.
    await jetstream(nc).publish(breach.subject, JSON.stringify(breach), { msgID: breach.id });
    await eventually(
      async () =>
        (await pool.query(`SELECT 1 FROM reports.request_facts WHERE request_id = $1`, [late])).rows.length > 0,
      30_000,
      "the breach to create the request's row",
    );
    const lifecycleEvents = [lateDelivered, lateCreated, onTimeCreated, onTimeDelivered];
    for (const event of lifecycleEvents) {
      await jetstream(nc).publish(event.subject, JSON.stringify(event), { msgID: event.id });
    }
    await nc.drain();
    await eventually(
      async () =>
        (
          await pool.query(
            `SELECT 1 FROM reports.processed_events WHERE consumer LIKE 'reports-request-%' AND event_id = ANY($1)`,
            [lifecycleEvents.map((event) => event.id)],
          )
        ).rows.length === lifecycleEvents.length,
      30_000,
      "the lifecycle events processed",
    );
    const rows = await turnaround({ from: "2019-06-01T00:00:00Z", to: "2019-06-02T00:00:00Z", ward });
    expect(rows).toEqual([
      { group: { priority: "STAT" }, requests: 2, delivered: { count: 2 }, withinSla: 0.5, breached: 1 },
    ]);
    const { rows: facts } = await pool.query(
      `SELECT status, version, created_at, sla_breached_at FROM reports.request_facts WHERE request_id = $1`,
      [late],
    );
    expect(facts).toEqual([
      {
        status: "DELIVERED",
        version: 5,
        created_at: new Date("2019-06-01T12:00:00Z"),
        sla_breached_at: new Date("2019-06-01T12:05:01Z"),
      },
    ]);
  });
});
