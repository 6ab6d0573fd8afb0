/**
 * Fixtures for the event tests: a throw-away Postgres schema with the outbox tables (built by
 * the same `eventTables()` the services use) and a private nats-server that a test may stop
 * and restart without disturbing the shared stack.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { pgSchema } from "drizzle-orm/pg-core";
import { eventTables } from "@asky/db/schema/events";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { createLogger } from "@asky/runtime";
import { STREAM_NAME } from "../src/nats.js";

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
