/**
 * The stop order against a real process: a requests service of its own (own database, own
 * nats-server) is sent SIGTERM while its stock_low consumer is in the middle of an event,
 * held there by the advisory lock the restock loop takes. The consumer must finish that
 * event, with the pool still open, before the service closes the pool and NATS.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { STREAM_NAME, stockLow } from "@asky/contracts";
import { eventually } from "./support/eventually.js";
import { privateDatabase, type PrivateDatabase } from "./support/private-database.js";
import { startPrivateNats, type PrivateNats } from "./support/private-nats.js";
import { startReplica, type Replica } from "./support/replica.js";

const durable = "requests-stock-low";

let database: PrivateDatabase;
let nats: PrivateNats;
let admin: pg.Pool;

beforeAll(async () => {
  database = await privateDatabase("requests");
  nats = await startPrivateNats();
  admin = new pg.Pool({ connectionString: database.adminUrl, max: 3 });
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await nats?.dispose();
  await database?.drop();
});

/** The requests service on the private database and nats-server, logging at debug into its `lines`. */
function startRequests(): Promise<Replica> {
  return startReplica("requests", { DATABASE_URL: database.serviceUrl, NATS_URL: nats.url, LOG_LEVEL: "debug" });
}

/** Publishes one stock_low of a cabinet nobody else writes to; its restock needs no catalog lookup. */
async function publishStockLow(dispenserId: string): Promise<string> {
  const envelope = stockLow.build({
    stockLevelId: randomUUID(),
    dispenserId,
    dispenserCode: "STOP-ORDER",
    ward: "UTI-ADULTO",
    itemId: randomUUID(),
    itemKind: "MATERIAL",
    unitCost: 1.25,
    quantity: 0,
    minLevel: 5,
    parLevel: 20,
    suggestedRestockQuantity: 20,
  });
  const nc = await connect({ servers: nats.url });
  try {
    await jetstream(nc).publish(stockLow.subject, JSON.stringify(envelope), { msgID: envelope.id });
  } finally {
    await nc.close();
  }
  return envelope.id;
}

/** Backends of the service's own pool waiting for a lock (the restock loop's advisory lock). */
async function consumerWaitingForLock(): Promise<boolean> {
  const { rows } = await admin.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and application_name = 'asky-requests' and wait_event_type = 'Lock'`,
  );
  return rows[0]!.n > 0;
}

interface LogEntry {
  level?: number;
  msg?: string;
  stage?: string;
}

function entryOf(line: string): LogEntry | null {
  try {
    return JSON.parse(line.slice(line.indexOf("{"))) as LogEntry;
  } catch {
    return null;
  }
}

/** Lines at warn (40) or worse, and anything unreadable that speaks of an error or a pool. */
function troubles(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    const entry = entryOf(line);
    return entry ? (entry.level ?? 0) >= 40 : /error|pool/i.test(line);
  });
}

/** The stages the service logged as it stopped them, in order. */
function stagesStopped(lines: readonly string[]): string[] {
  return lines.map(entryOf).flatMap((entry) => (entry?.msg === "stopping" && entry.stage ? [entry.stage] : []));
}

async function consumerState(): Promise<{ pending: number; unacknowledged: number }> {
  const nc = await connect({ servers: nats.url });
  try {
    const info = await (await jetstreamManager(nc)).consumers.info(STREAM_NAME, durable);
    return { pending: info.num_pending, unacknowledged: info.num_ack_pending };
  } finally {
    await nc.close();
  }
}

const lockKey = (dispenserId: string) => `asky:restock:${dispenserId}`;

describe("a subgraph stopped while a consumer is handling an event", () => {
  it("finishes and acknowledges what it holds before it closes the pool, then exits 0", async () => {
    const { lines, process: proc } = await startRequests();
    // Two cabinets: the first one's event is held mid-transaction by the advisory lock the
    // restock loop takes first; the second waits behind it in the consumer's buffer. A pool
    // closed before the consumer stops would refuse the second.
    const held = randomUUID();
    const queued = randomUUID();
    const holder = await admin.connect();
    let eventIds: string[];
    try {
      await holder.query(`select pg_advisory_lock(hashtext($1))`, [lockKey(held)]);
      eventIds = [await publishStockLow(held), await publishStockLow(queued)];
      await eventually(consumerWaitingForLock, 30_000, "the consumer to be mid-event");
      await eventually(
        async () => (await consumerState()).unacknowledged === 2,
        30_000,
        "both events in the consumer's hands",
      );

      proc.child.kill("SIGTERM");
      // The stop waits for the consumer, which waits for the lock.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(proc.exitInfo).toBeUndefined();

      await holder.query(`select pg_advisory_unlock(hashtext($1))`, [lockKey(held)]);
      expect(await proc.exited).toMatchObject({ code: 0, signal: null });
    } finally {
      holder.release();
      await proc.stop({ timeoutMs: 10_000 });
    }

    const processed = await admin.query<{ event_id: string }>(
      `select event_id from requests.processed_events where consumer = $1 order by processed_at`,
      [durable],
    );
    expect(processed.rows.map((row) => row.event_id)).toEqual(eventIds);
    const restocks = await admin.query<{ dispenser_id: string; status: string }>(
      `select dispenser_id, status from requests.requests where kind = 'RESTOCK' order by created_at`,
    );
    expect(restocks.rows).toEqual([
      { dispenser_id: held, status: "PENDING" },
      { dispenser_id: queued, status: "PENDING" },
    ]);
    // Acknowledged before NATS was drained: nothing waits to be delivered again.
    expect(await consumerState()).toEqual({ pending: 0, unacknowledged: 0 });
    expect(troubles(lines)).toEqual([]);
    expect(stagesStopped(lines)).toEqual(["background", "http", "collaborators", "databases", "relay", "nats"]);
  }, 120_000);
});
