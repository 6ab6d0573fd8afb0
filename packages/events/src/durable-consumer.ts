import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JsMsg,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { context, type Span } from "@opentelemetry/api";
import { assertNever, type Logger } from "@asky/runtime";
import { STREAM_NAME } from "./nats.js";
import { ensureStream } from "./ensure-stream.js";
import { Backoff, Pause, type BackoffOptions } from "./backoff.js";
import { parseEnvelope, type EventEnvelope } from "@asky/contracts";
import { column, type ProcessedEventsTable } from "./outbox-table.js";
import { onReconnect } from "./on-reconnect.js";
import { consumerMetrics, type Settlement } from "./consumer-metrics.js";
import { errorType, failSpan, startProcessSpan } from "./messaging-spans.js";

type Schema = Record<string, unknown>;
/** The transaction drizzle hands to `db.transaction(...)` callbacks. */
export type TransactionOf<TSchema extends Schema> = Parameters<
  Parameters<NodePgDatabase<TSchema>["transaction"]>[0]
>[0];

export interface DurableConsumerOptions<TSchema extends Schema, TData> {
  nats: NatsConnection;
  /** Copies of the stream (NATS_STREAM_REPLICAS), should the consumer have to create or scale it. */
  streamReplicas: number;
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
  /**
   * Between two attempts to (re)open the consumer. Default 250 ms → 2 s: an effect such as a
   * restock must not wait much longer than the broker was away, and a consumer info request
   * every two seconds while it is away costs nothing.
   */
  retry?: BackoffOptions;
}

export interface DurableConsumer {
  close(): Promise<void>;
}

const nanos = (ms: number) => ms * 1_000_000;

/**
 * How long one pull request lives. The library pulls again when two idle heartbeats (half of
 * this each) go missing, and that is the only sign it gets when the consumer's leader dies
 * on a JetStream cluster while this client's own server stays up (no reconnect): the pull
 * died with that leader. With the library's 30 s the consumer then stalled for 30 s; with
 * 5 s it pulls from the new leader within about 5 s of the election, for the cost of one
 * small pull request every 5 s while idle.
 */
const PULL_EXPIRES_MS = 5_000;

/**
 * A JetStream durable pull consumer with explicit acks whose handler is idempotent by
 * construction: the handler's writes and the `(consumer, event id)` row in processed_events
 * commit together, so a redelivery (lost ack, crash after commit, replayed stream) finds the
 * row and is only acknowledged. Failures are nak'ed with a growing delay.
 *
 * It survives broker restarts: it reopens at once when the connection comes back (see
 * onReconnect), and recreates the stream and the consumer if the server lost them. Its
 * configuration carries no start sequence or time, only "deliver all", so the server cannot
 * refuse it when it is created again; a consumer created again reads its subject from the
 * start of the stream, and processed_events skips what was applied already.
 */
export function startDurableConsumer<TSchema extends Schema, TData>(
  options: DurableConsumerOptions<TSchema, TData>,
): DurableConsumer {
  const log = options.logger.child({ component: "consumer", durable: options.durable });
  const maxDeliver = options.maxDeliver ?? 20;
  const pause = new Pause();
  const backoff = new Backoff(options.retry ?? { initialMs: 250, maxMs: 2_000 });
  let closed = false;
  let messages: ConsumerMessages | null = null;
  let reopenRequested = false;
  const metrics = consumerMetrics(options.durable);

  async function ensureConsumer(): Promise<void> {
    await ensureStream(options.nats, { replicas: options.streamReplicas, logger: log });
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

  /**
   * An ack, nak or term that cannot be sent (the connection closed meanwhile) is only logged:
   * JetStream redelivers the message after ack_wait, and processed_events makes that harmless.
   */
  function settle(message: JsMsg, how: "ack" | "nak" | "term", delayMs?: number): void {
    try {
      switch (how) {
        case "ack":
          message.ack();
          break;
        case "nak":
          message.nak(delayMs);
          break;
        case "term":
          message.term();
          break;
        default:
          assertNever(how, "settlement");
      }
    } catch (error) {
      log.warn({ err: error, seq: message.seq, how }, "could not settle a message; it will be redelivered");
    }
  }

  /** Handles one delivery inside its span; says how it was settled. */
  async function handleDelivery(message: JsMsg, span: Span): Promise<Settlement> {
    let event: EventEnvelope<TData>;
    try {
      const envelope = parseEnvelope(message.json());
      event = { ...envelope, data: options.parse(envelope.data) };
    } catch (error) {
      log.error({ err: error, seq: message.seq }, "unreadable event terminated");
      failSpan(span, "invalid_event");
      settle(message, "term");
      return "term";
    }
    span.setAttribute("messaging.message.id", event.id);
    try {
      const applied = await options.db.transaction(async (tx) => {
        if (!(await record(tx, event.id))) return false;
        await options.handle(event, tx);
        return true;
      });
      settle(message, "ack");
      if (applied) metrics.applied(message.timestampNanos);
      else log.debug({ eventId: event.id }, "duplicate delivery acknowledged");
      return "ack";
    } catch (error) {
      const attempt = message.info.deliveryCount;
      const level = attempt >= maxDeliver ? "error" : "warn";
      log[level](
        { err: error, eventId: event.id, attempt },
        attempt >= maxDeliver ? "event handling failed for good" : "event handling failed; retrying",
      );
      // Its code or class only: a handler's message may quote the event's data.
      failSpan(span, errorType(error));
      settle(message, "nak", Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)));
      return "nak";
    }
  }

  /**
   * One delivery in a CONSUMER span that continues the relay's trace from the message's
   * headers, so the handler's SQL spans are its children; timed by outcome.
   */
  async function handleMessage(message: JsMsg): Promise<void> {
    const started = performance.now();
    metrics.delivered(message.info.deliveryCount);
    const { span, context: active } = startProcessSpan(message, options.durable);
    let outcome: Settlement = "nak";
    try {
      outcome = await context.with(active, () => handleDelivery(message, span));
    } finally {
      span.end();
      metrics.settled(outcome, (performance.now() - started) / 1_000, message.info.pending);
    }
  }

  async function consume(): Promise<void> {
    await ensureConsumer();
    const consumer = await jetstream(options.nats).consumers.get(STREAM_NAME, options.durable);
    // A consumer or stream the server lost ends the iterator, and the loop creates them
    // again: the library would otherwise wait for them forever.
    const current = await consumer.consume({
      max_messages: 20,
      expires: PULL_EXPIRES_MS,
      abort_on_missing_resource: true,
    });
    messages = current;
    if (closed) current.stop();
    backoff.reset();
    for await (const message of current) await handleMessage(message);
  }

  const stopWatching = onReconnect(
    options.nats,
    () => {
      backoff.reset();
      if (messages === null) {
        pause.wake();
        return;
      }
      reopenRequested = true;
      // The messages already received are still handled (and acked) before the iterator ends.
      messages.stop();
    },
    log,
  );

  const loop = (async () => {
    while (!closed) {
      try {
        await consume();
        if (!closed && !reopenRequested) log.warn("consumer ended; reopening it");
      } catch (error) {
        if (!closed) log.warn({ err: error }, "consumer interrupted; reopening it");
      }
      messages = null;
      const immediate = reopenRequested;
      reopenRequested = false;
      if (!closed && !immediate) await pause.wait(backoff.next());
    }
  })().catch((error: unknown) => log.error({ err: error }, "durable consumer stopped"));

  return {
    async close() {
      closed = true;
      stopWatching();
      pause.wake();
      await messages?.close();
      await loop;
      metrics.close();
    },
  };
}
