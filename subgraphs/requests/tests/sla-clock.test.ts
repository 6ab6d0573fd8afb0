/**
 * The turnaround clock (issue 17): with a policy of a few seconds, a STAT request left PENDING
 * gets exactly one SLA_WARNING and one SLA_BREACHED, delivered to a subscriber through the
 * gateway like every request event, and put first in pharmacyQueue. Also with two more
 * requests-service replicas competing for the clock's lease, and when the lease holder is
 * killed between the warning and the breach: the lease passes on and nothing is lost or doubled.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoToken, startReplica, testStack, type Replica } from "@asky/stack/testing";
import { admin, adminPool, create, dipirona, eventually, newCabinet, ok, pharmacist } from "./support.js";

const stack = testStack();
const pool = adminPool();
const defaultStat = { acceptWithinSeconds: 300, dispatchWithinSeconds: 900, deliverWithinSeconds: 1800 };
const setPolicy = (windows: typeof defaultStat) =>
  ok(admin, `mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) { kind } }`, {
    input: { kind: "MEDICATION", priority: "STAT", ...windows },
  });

interface Delivered {
  requestStatusChanged: { type: string; status: string; slaStage: string | null; actor: { id: string } | null };
}

let client: Client;
let cabinet = "";
const replicas: Replica[] = [];

beforeAll(async () => {
  cabinet = await newCabinet("CLINICA-MEDICA");
  client = createClient({
    url: stack.gatewayUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    connectionParams: { authorization: `Bearer ${await demoToken(pharmacist)}` },
  });
});

afterAll(async () => {
  await setPolicy(defaultStat);
  await client?.dispose();
  await Promise.all(replicas.map((replica) => replica.stop()));
  await pool.end();
});

/** A STAT request left PENDING, followed from its creation by a subscriber. */
async function followedStatRequest() {
  const request = await create(pharmacist, {
    kind: "MEDICATION",
    priority: "STAT",
    dispenserId: cabinet,
    items: [{ itemId: dipirona, quantity: 1 }],
  });
  const received: Delivered["requestStatusChanged"][] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<Delivered>(
    {
      query: `subscription($id: ID!, $after: String) { requestStatusChanged(requestId: $id, after: $after) {
        type status slaStage actor { id } } }`,
      // From the stream's start for this request: nothing it publishes can slip past.
      variables: { id: request.id, after: null },
    },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) received.push(value.data.requestStatusChanged);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return { request, received, errors, stop };
}

/** The SLA events of a request in the outbox: what was written, whoever wrote it. */
async function outboxTypes(requestId: string): Promise<string[]> {
  const { rows } = await pool.query<{ subject: string }>(
    `select subject from requests.outbox where payload->'data'->>'requestId' = $1 and subject like 'asky.requests.sla_%'
     order by created_at, subject desc`,
    [requestId],
  );
  return rows.map((row) => row.subject);
}

/** The clock's advisory lock as pg_locks shows a one-bigint key: its low 32 bits in objid. */
const LEASE_LOCK = `locktype = 'advisory' and granted and objsubid = 1
  and database = (select oid from pg_database where datname = current_database())
  and objid = (hashtext('asky.requests.sla_clock')::bigint & 4294967295)::oid`;

const slaTypes = (received: Delivered["requestStatusChanged"][]) =>
  received.filter((event) => event.type.startsWith("SLA_")).map((event) => event.type);

/** Waits for the breach, then for the outbox and the subscriber to agree on one of each. */
async function expectOneWarningAndOneBreach(followed: Awaited<ReturnType<typeof followedStatRequest>>) {
  await eventually(async () => slaTypes(followed.received).includes("SLA_BREACHED"), 60_000, "the breach to arrive");
  // Every mark is in the outbox before its event can reach anyone: once the breach arrived,
  // both marks are set and no clock will write another.
  const { rows } = await pool.query(`select sla_warned_at, sla_breached_at from requests.requests where id = $1`, [
    followed.request.id,
  ]);
  expect(rows[0].sla_warned_at).not.toBeNull();
  expect(rows[0].sla_breached_at).not.toBeNull();
  expect(await outboxTypes(followed.request.id)).toEqual(["asky.requests.sla_warning", "asky.requests.sla_breached"]);
  await eventually(async () => slaTypes(followed.received).length >= 2, 30_000, "both events to arrive");
  expect(slaTypes(followed.received)).toEqual(["SLA_WARNING", "SLA_BREACHED"]);
  const sla = followed.received.filter((event) => event.type.startsWith("SLA_"));
  expect(sla.every((event) => event.status === "PENDING" && event.slaStage === "ACCEPT" && event.actor === null)).toBe(
    true,
  );
  expect(followed.errors).toEqual([]);
}

describe("the turnaround clock", () => {
  it("warns and breaches a STAT request left PENDING exactly once, and the queue puts it first", async () => {
    await setPolicy({ acceptWithinSeconds: 3, dispatchWithinSeconds: 4, deliverWithinSeconds: 5 });
    const followed = await followedStatRequest();
    await expectOneWarningAndOneBreach(followed);
    followed.stop();
    // Past due and STAT: only past-due STATs due before it (seeded ones, or left by other tests) go first.
    const { pharmacyQueue } = await ok<{
      pharmacyQueue: { edges: { node: { id: string; priority: string; sla: { breached: boolean; dueAt: string } } }[] };
    }>(
      pharmacist,
      `{ pharmacyQueue(first: 100, ward: "CLINICA-MEDICA") { edges { node { id priority sla { breached dueAt } } } } }`,
    );
    const nodes = pharmacyQueue.edges.map((edge) => edge.node);
    const position = nodes.findIndex((node) => node.id === followed.request.id);
    expect(position).toBeGreaterThanOrEqual(0);
    const mine = nodes[position]!;
    expect(mine.sla.breached).toBe(true);
    for (const before of nodes.slice(0, position)) {
      expect(before).toMatchObject({ priority: "STAT", sla: { breached: true } });
      expect(Date.parse(before.sla.dueAt)).toBeLessThanOrEqual(Date.parse(mine.sla.dueAt));
    }
  });

  it("marks exactly once with two more replicas competing for the lease", async () => {
    replicas.push(await startReplica("requests"), await startReplica("requests"));
    await setPolicy({ acceptWithinSeconds: 3, dispatchWithinSeconds: 4, deliverWithinSeconds: 5 });
    const followed = await followedStatRequest();
    await expectOneWarningAndOneBreach(followed);
    followed.stop();
  });

  it("passes the lease on when its holder is killed between the warning and the breach", async () => {
    // A window long enough to kill the holder after the warning (at 80%) and before the breach.
    await setPolicy({ acceptWithinSeconds: 20, dispatchWithinSeconds: 30, deliverWithinSeconds: 40 });
    const followed = await followedStatRequest();
    await eventually(async () => slaTypes(followed.received).includes("SLA_WARNING"), 60_000, "the warning");
    const holder = await leaseHolderReplica();
    expect(holder, "a replica of this test to hold the lease").not.toBeNull();
    await holder!.process.stop({ signal: "SIGKILL" });
    expect(holder!.process.exitInfo?.signal).toBe("SIGKILL");
    await expectOneWarningAndOneBreach(followed);
    followed.stop();
  });
});

/**
 * Makes one of this test's replicas the lease holder: the holder's session is ended until a
 * replica (not the stack's own requests service, which other tests need) takes the lease over.
 * Null if none did in time.
 */
async function leaseHolderReplica(): Promise<Replica | null> {
  const holderPid = async () =>
    (await pool.query<{ pid: number }>(`select pid from pg_locks where ${LEASE_LOCK}`)).rows[0]?.pid ?? null;
  const took = (replica: Replica) => replica.lines.filter((line) => line.includes("took the SLA clock lease")).length;
  for (let attempt = 0; attempt < 20; attempt++) {
    const before = replicas.map(took);
    const pid = await holderPid();
    if (pid !== null) await pool.query(`select pg_terminate_backend($1)`, [pid]);
    await eventually(
      async () => (await holderPid()) !== null && (await holderPid()) !== pid,
      30_000,
      "a new lease holder",
    );
    const winner = replicas.find(
      (replica, index) => took(replica) > before[index]! && replica.process.exitInfo === undefined,
    );
    if (winner) return winner;
  }
  return null;
}
