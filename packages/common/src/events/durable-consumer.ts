import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "../logger.js";
import { ensureStream, STREAM_NAME } from "../nats.js";
import { Backoff, Pause } from "./backoff.js";
import { parseEnvelope, type EventEnvelope } from "./envelope.js";
import { column, type ProcessedEventsTable } from "./outbox-table.js";

type Schema = Record<string, unknown>;
/** The transaction drizzle hands to `db.transaction(...)` callbacks. */
export type TransactionOf<TSchema extends Schema> = Parameters<Parameters<NodePgDatabase<TSchema>["transaction"]>[0]>[0];

export interface DurableConsumerOptions<TSchema extends Schema, TData> {
  nats: NatsConnection;
  db: NodePgDatabase<TSchema>;
  processedEvents: ProcessedEventsTable;
  /** Durable consumer name, e.g. `requests-stock-low`; also the `consumer` column of processed_events. */
  durable: string;
  /** One subject (nats-server 2.9 has no filter_subjects), e.g. `asky.dispensers.stock_low`. */
  subject: string;
  logger: Logger;
  /** Checks `data`; a payload it rejects can never succeed, so it is terminated, not retried. */
  parse: (data: unknown) => TData;
  /** The effect, inside the transaction that also records the event as processed. */
  handle: (event: EventEnvelope<TData>, tx: TransactionOf<TSchema>) => Promise<void>;
  ackWaitMs?: number;
  /** Deliveries before JetStream gives up on a message (logged as an error). Default 20. */
  maxDeliver?: number;
}

export interface DurableConsumer {
  close(): Promise<void>;
}

const nanos = (ms: number) => ms * 1_000_000;

/**
 * A JetStream durable pull consumer with explicit acks whose handler is idempotent by
 * construction: the handler's writes and the `(consumer, event id)` row in processed_events
 * commit together, so a redelivery (lost ack, crash after commit, replayed stream) finds the
 * row and is only acknowledged. Failures are nak'ed with a growing delay.
 */
export function startDurableConsumer<TSchema extends Schema, TData>(
  options: DurableConsumerOptions<TSchema, TData>,
): DurableConsumer {
  const log = options.logger.child({ component: "consumer", durable: options.durable });
  const maxDeliver = options.maxDeliver ?? 20;
  const pause = new Pause();
  const backoff = new Backoff({ initialMs: 500, maxMs: 15_000 });
  let closed = false;
  let messages: ConsumerMessages | null = null;

  async function ensureConsumer(): Promise<void> {
    await ensureStream(options.nats);
    const jsm = await jetstreamManager(options.nats);
    const config = {
      durable_name: options.durable,
      filter_subject: options.subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      max_deliver: maxDeliver,
    };
    try {
      await jsm.consumers.add(STREAM_NAME, config);
    } catch {
      // It exists with another configuration (an upgrade changed a setting): update in place.
      const { durable_name: _name, deliver_policy: _policy, ...updatable } = config;
      await jsm.consumers.update(STREAM_NAME, options.durable, updatable);
    }
  }

  async function record(tx: TransactionOf<TSchema>, eventId: string): Promise<boolean> {
    const table = options.processedEvents;
    const { rows } = await tx.execute(sql`
      insert into ${table} (${column(table.consumer)}, ${column(table.eventId)}) values (${options.durable}, ${eventId})
      on conflict do nothing returning 1 as inserted`);
    return rows.length > 0;
  }

  async function handleMessage(message: JsMsg): Promise<void> {
    let event: EventEnvelope<TData>;
    try {
      const envelope = parseEnvelope(message.json());
      event = { ...envelope, data: options.parse(envelope.data) };
    } catch (error) {
      log.error({ err: error, seq: message.seq }, "unreadable event terminated");
      message.term();
      return;
    }
    try {
      const applied = await options.db.transaction(async (tx) => {
        if (!(await record(tx, event.id))) return false;
        await options.handle(event, tx);
        return true;
      });
      message.ack();
      if (!applied) log.debug({ eventId: event.id }, "duplicate delivery acknowledged");
    } catch (error) {
      const attempt = message.info.deliveryCount;
      const level = attempt >= maxDeliver ? "error" : "warn";
      log[level]({ err: error, eventId: event.id, attempt }, attempt >= maxDeliver ? "event handling failed for good" : "event handling failed; retrying");
      message.nak(Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)));
    }
  }

  const loop = (async () => {
    while (!closed) {
      try {
        await ensureConsumer();
        const consumer = await jetstream(options.nats).consumers.get(STREAM_NAME, options.durable);
        messages = await consumer.consume({ max_messages: 20 });
        backoff.reset();
        for await (const message of messages) await handleMessage(message);
      } catch (error) {
        if (!closed) log.warn({ err: error }, "consumer interrupted; restarting");
      }
      messages = null;
      if (!closed) await pause.wait(backoff.next());
    }
  })();

  return {
    async close() {
      closed = true;
      pause.wake();
      await messages?.close();
      await loop;
    },
  };
}
