import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  primaryKey,
  text,
  timestamp,
  uuid,
  check,
  type PgSchema,
} from "drizzle-orm/pg-core";

/**
 * Transactional outbox + consumer dedupe tables, identical in every service schema.
 *
 * - `outbox`: the producer inserts the event in the same transaction as the state change;
 *   the relay publishes rows `WHERE published_at IS NULL ORDER BY seq` with JetStream
 *   `msgID = id` and then stamps `published_at`.
 * - `processed_events`: a consumer inserts `(consumer, event_id)` in the same transaction as
 *   the effect of the event; a duplicate delivery hits the primary key and is skipped.
 */
export function eventTables<TSchema extends string>(schema: PgSchema<TSchema>) {
  const outbox = schema.table(
    "outbox",
    {
      /** Event id; also the JetStream `msgID`, so redelivery by the relay is deduplicated. */
      id: uuid("id").primaryKey().defaultRandom(),
      /** Commit-ish order for the relay (uuid ids are not ordered). */
      seq: bigserial("seq", { mode: "number" }).notNull(),
      /** NATS subject, e.g. `asky.requests.status_changed`. */
      subject: text("subject").notNull(),
      payload: jsonb("payload").notNull(),
      createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
      publishedAt: timestamp("published_at", { withTimezone: true, mode: "date" }),
      /** Failed publish attempts (relay back-off / alerting). */
      attempts: integer("attempts").notNull().default(0),
      lastError: text("last_error"),
      /**
       * W3C trace context (`traceparent`, `tracestate`) of the transaction that wrote the event,
       * so the relay's publish joins the trace of the request that caused it. Null when the
       * writer was not traced (tracing off, or no span active).
       */
      headers: jsonb("headers").$type<Record<string, string>>(),
    },
    (t) => [
      index("outbox_unpublished_seq_idx")
        .on(t.seq)
        .where(sql`"published_at" IS NULL`),
      index("outbox_published_at_idx").on(t.publishedAt),
      check("outbox_subject_check", sql`${t.subject} LIKE 'asky.%'`),
      check("outbox_attempts_check", sql`${t.attempts} >= 0`),
    ],
  );

  const processedEvents = schema.table(
    "processed_events",
    {
      /** Durable consumer name, e.g. `requests-stock-low`. */
      consumer: text("consumer").notNull(),
      eventId: text("event_id").notNull(),
      processedAt: timestamp("processed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    },
    (t) => [
      primaryKey({ name: "processed_events_pkey", columns: [t.consumer, t.eventId] }),
      /** For pruning old rows. */
      index("processed_events_processed_at_idx").on(t.processedAt),
    ],
  );

  return { outbox, processedEvents };
}
