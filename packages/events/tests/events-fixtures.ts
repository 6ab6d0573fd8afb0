/**
 * Fixtures for the event tests: a throw-away Postgres schema with the outbox tables (built by
 * the same `eventTables()` the services use), a private nats-server that a test may stop
 * and restart without disturbing the shared stack, and the two together with a relay and a
 * durable consumer running over them.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { pgSchema } from "drizzle-orm/pg-core";
import { eventTables } from "@asky/db/schema/events";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { createEnvelope, type EventEnvelope } from "@asky/contracts";
import { createLogger } from "@asky/runtime";
import { inject } from "vitest";
import { startPrivateNats, type PrivateNats } from "@asky/stack/testing";
import { appendEvent } from "../src/append-event.js";
import { startDurableConsumer, type DurableConsumer, type TransactionOf } from "../src/durable-consumer.js";
import { ensureStream } from "../src/ensure-stream.js";
import { connectNats, STREAM_NAME } from "../src/nats.js";
import { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "../src/outbox-relay.js";

export const quietLogger = createLogger("events-test", "silent");

export function eventSchema(name: string) {
  const schema = pgSchema(name);
  return { schema, ...eventTables(schema) };
}

export interface EventSchemaFixture {
  name: string;
  tables: ReturnType<typeof eventSchema>;
  db: NodePgDatabase<Record<string, never>>;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Creates `evt_<random>` with outbox, processed_events and an `effects` table for handlers. */
export async function createEventSchema(adminUrl: string): Promise<EventSchemaFixture> {
  const name = `evt_${randomBytes(4).toString("hex")}`;
  const pool = new pg.Pool({ connectionString: adminUrl, max: 5 });
  await pool.query(`
    create schema ${name};
    create table ${name}.outbox (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      subject text not null check (subject like 'asky.%'),
      payload jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz,
      attempts integer not null default 0,
      last_error text,
      headers jsonb);
    create index on ${name}.outbox (seq) where published_at is null;
    create table ${name}.processed_events (
      consumer text not null, event_id text not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id));
    create table ${name}.effects (event_id text not null, note text);`);
  return {
    name,
    tables: eventSchema(name),
    db: drizzle(pool),
    pool,
    async drop() {
      await pool.query(`drop schema ${name} cascade`);
      await pool.end();
    },
  };
}

export { eventually, startPrivateNats, type PrivateNats } from "@asky/stack/testing";

export interface StreamedEvent {
  seq: number;
  subject: string;
  msgId: string | undefined;
  eventId: string;
  /** The W3C `traceparent` header the relay sent, if any. */
  traceparent: string | undefined;
}

/** Every message in the ASKY stream of `nc`, in stream order. */
export async function readStream(nc: NatsConnection): Promise<StreamedEvent[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(STREAM_NAME);
  const events: StreamedEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(STREAM_NAME, { seq });
    if (!message) continue;
    events.push({
      seq,
      subject: message.subject,
      msgId: message.header.get("Nats-Msg-Id"),
      eventId: message.json<{ id: string }>().id,
      // MsgHdrs answers "" for a header that is absent.
      traceparent: message.header.get("traceparent") || undefined,
    });
  }
  return events;
}

/** Commits one event to the fixture's outbox, in a transaction of its own. */
export async function commitEvent(fixture: EventSchemaFixture, envelope: EventEnvelope): Promise<void> {
  await fixture.db.transaction((tx) => appendEvent(tx, fixture.tables.outbox, envelope));
}

/** Commits `count` events on `subject`, one transaction each, and returns their ids in commit order. */
export async function commitEvents(
  fixture: EventSchemaFixture,
  subject: string,
  count: number,
  data: (index: number) => unknown,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const envelope = createEnvelope(subject, data(i));
    await commitEvent(fixture, envelope);
    ids.push(envelope.id);
  }
  return ids;
}

/** How many of the fixture's outbox rows are not published yet. */
export async function unpublishedCount(fixture: EventSchemaFixture): Promise<number> {
  const { rows } = await fixture.db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${fixture.tables.outbox} where published_at is null`,
  );
  return rows[0]!.n;
}

/** The test events' payload: a `note`; a payload without one is one the consumer must terminate. */
export function parseNote(data: unknown): { note: string } {
  const note = (data as { note?: unknown } | null)?.note;
  if (typeof note !== "string") throw new Error("note missing");
  return { note };
}

/** A relay's settings that a test chooses; the rest is the fixture's. */
export type TestRelayOptions = Omit<
  OutboxRelayOptions,
  "service" | "databaseUrl" | "outbox" | "nats" | "streamReplicas" | "logger"
>;

/** A relay of the fixture's outbox onto `nc`, with one copy of the stream and quiet logs. */
export function startTestRelay(
  fixture: EventSchemaFixture,
  nc: NatsConnection,
  options: TestRelayOptions = {},
): OutboxRelay {
  return startOutboxRelay({
    service: fixture.name,
    databaseUrl: inject("adminDatabaseUrl"),
    outbox: fixture.tables.outbox,
    nats: nc,
    streamReplicas: 1,
    logger: quietLogger,
    ...options,
  });
}

/** An event schema, a private nats-server with the stream, and a relay and a consumer running over them. */
export interface EventsPipeline {
  readonly fixture: EventSchemaFixture;
  readonly nats: PrivateNats;
  /** The connection the relay and the consumer share. */
  readonly nc: NatsConnection;
  readonly relay: OutboxRelay;
  readonly consumer: DurableConsumer;
  /** Stops the consumer, the relay, the connection and the server, and drops the schema. */
  close(): Promise<void>;
}

export interface EventsPipelineOptions<TData> {
  /** The NATS connection's name, e.g. `events-metrics-test`. */
  connectionName: string;
  /** The relay's timings; it polls every 200 ms unless told otherwise. */
  relay?: TestRelayOptions;
  consumer: {
    durable: string;
    subject: string;
    parse: (data: unknown) => TData;
    /** The effect, in the consumer's transaction; `fixture` is the pipeline's. */
    handle: (
      event: EventEnvelope<TData>,
      tx: TransactionOf<Record<string, never>>,
      fixture: EventSchemaFixture,
    ) => Promise<void>;
  };
}

/**
 * Starts an events pipeline of the test's own. Register test telemetry first: the relay and
 * the consumer take their instruments when they start. Should a step fail, what was started
 * is stopped again before the error is thrown.
 */
export async function startEventsPipeline<TData>(options: EventsPipelineOptions<TData>): Promise<EventsPipeline> {
  const fixture = await createEventSchema(inject("adminDatabaseUrl"));
  let nats: PrivateNats | undefined;
  let nc: NatsConnection | undefined;
  let relay: OutboxRelay | undefined;
  let consumer: DurableConsumer | undefined;
  const close = async () => {
    await consumer?.close();
    await relay?.close();
    await nc?.close();
    await nats?.dispose();
    await fixture.drop();
  };
  try {
    nats = await startPrivateNats();
    nc = await connectNats(nats.url, options.connectionName, quietLogger);
    await ensureStream(nc, { replicas: 1, logger: quietLogger });
    relay = startTestRelay(fixture, nc, { pollIntervalMs: 200, ...options.relay });
    const { handle, ...consumerOptions } = options.consumer;
    consumer = startDurableConsumer({
      nats: nc,
      streamReplicas: 1,
      db: fixture.db,
      processedEvents: fixture.tables.processedEvents,
      logger: quietLogger,
      ...consumerOptions,
      handle: (event, tx) => handle(event, tx, fixture),
    });
    return { fixture, nats, nc, relay, consumer, close };
  } catch (error) {
    await close();
    throw error;
  }
}
