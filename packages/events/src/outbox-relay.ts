import pg from "pg";
import { sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "@asky/runtime";
import { Backoff, Pause, type BackoffOptions } from "./backoff.js";
import { column, outboxChannel, type OutboxTable } from "./outbox-table.js";
import { onReconnect } from "./on-reconnect.js";
import { createPublisher, type OutboxRow } from "./publisher.js";
import { inPublishSpan } from "./messaging-spans.js";
import { outboxBacklogQuery, readOutboxBacklog } from "./outbox-backlog.js";
import { relayLagSeconds, relayMetrics } from "./relay-metrics.js";
import { storedTraceHeaders } from "./trace-headers.js";

export interface OutboxRelayOptions {
  /** Owning service; names the leader lock and log lines. */
  service: string;
  /** The service role's URL: the relay holds one dedicated connection (LISTEN + leader lock). */
  databaseUrl: string;
  outbox: OutboxTable;
  nats: NatsConnection;
  /** Copies of the stream (NATS_STREAM_REPLICAS), should the relay have to create or scale it. */
  streamReplicas: number;
  logger: Logger;
  /** Safety net when a NOTIFY is missed (e.g. while reconnecting). Default 1 s. */
  pollIntervalMs?: number;
  batchSize?: number;
  publishTimeoutMs?: number;
  /**
   * Back-off after a failed publish. Default 200 ms → 1 s: events such as access revocations
   * must flow again within a second of the broker coming back, and one publish attempt a
   * second costs nothing. The relay also retries at once when NATS reconnects.
   */
  retry?: BackoffOptions;
  /** Back-off after losing the database connection. Default 200 ms → 10 s. */
  sessionRetry?: BackoffOptions;
  /** How often a follower checks whether the leader is gone. Default 2 s. */
  leaderRetryMs?: number;
}

export interface OutboxRelay {
  /** True while this process holds the service's relay lock. */
  readonly leading: boolean;
  close(): Promise<void>;
}

type Outcome = "idle" | "more" | "failed";

/** A row as the claim reads it: `age`, seconds since its insert by the database's clock, times the relay lag. */
type ClaimedRow = OutboxRow & { age: unknown };

/**
 * Publishes a service's outbox to JetStream, in `seq` order, each row exactly once as far
 * as consumers can tell (`msgID` = event id, so a re-publish after a crash between publish
 * and stamp is dropped by the stream's duplicate window). A row is never skipped: when a
 * publish fails the relay backs off and retries that same row, so events stay in order
 * while NATS is down and flow again when it returns. Replicas elect one relay with a
 * session advisory lock; it is released by Postgres if the leader's connection dies.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { logger, outbox } = options;
  const log = logger.child({ component: "outbox-relay" });
  const batchSize = options.batchSize ?? 100;
  const pollMs = options.pollIntervalMs ?? 1_000;
  const leaderRetryMs = options.leaderRetryMs ?? 2_000;
  const publishBackoff = new Backoff(options.retry ?? { initialMs: 200, maxMs: 1_000 });
  const sessionBackoff = new Backoff(options.sessionRetry ?? { initialMs: 200, maxMs: 10_000 });
  const publisher = createPublisher(options.nats, {
    timeoutMs: options.publishTimeoutMs ?? 5_000,
    streamReplicas: options.streamReplicas,
    logger: log,
  });
  const channel = outboxChannel(outbox);
  const lockKey = `asky:outbox-relay:${channel}`;
  const pause = new Pause();

  let closed = false;
  let leading = false;
  let client: pg.Client | null = null;
  let db: NodePgDatabase | null = null;
  const backlogQuery = outboxBacklogQuery(outbox);
  const metrics = relayMetrics(options.service, async () => (client ? readOutboxBacklog(client, backlogQuery) : null));

  async function openSession(): Promise<NodePgDatabase> {
    const session = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: `asky-${options.service}-relay`,
    });
    // A dropped connection surfaces as an error on the next query; this only keeps the
    // client's 'error' event from crashing the process.
    session.on("error", (error) => log.warn({ err: error }, "relay database connection error"));
    session.on("notification", () => pause.wake());
    await session.connect();
    client = session;
    await session.query(`listen ${session.escapeIdentifier(channel)}`);
    return drizzle(session);
  }

  async function dropSession(): Promise<void> {
    const session = client;
    client = null;
    db = null;
    leading = false;
    await session?.end().catch(() => undefined);
  }

  async function tryLead(session: NodePgDatabase): Promise<boolean> {
    const result = await session.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_lock(hashtext(${lockKey})) as locked`,
    );
    return result.rows[0]?.locked === true;
  }

  /**
   * No transaction and no row locks: only the leader (advisory lock) drains, so each
   * statement runs on its own. That matters because every commit wakes the relay twice (the
   * writer's wake() and the NOTIFY), and an empty drain is now one statement instead of three.
   */
  async function drain(session: NodePgDatabase): Promise<Outcome> {
    const { rows } = await session.execute<ClaimedRow>(sql`
      select ${column(outbox.id)} as id, ${column(outbox.subject)} as subject, ${column(outbox.payload)} as payload,
        ${column(outbox.headers)} as headers,
        extract(epoch from clock_timestamp() - ${column(outbox.createdAt)})::float8 as age
      from ${outbox} where ${column(outbox.publishedAt)} is null
      order by ${column(outbox.seq)} limit ${batchSize}`);
    if (rows.length === 0) return "idle";
    const claimed = performance.now();
    const published: string[] = [];
    let failure: { id: string; message: string } | null = null;
    for (const row of rows) {
      try {
        const event = { id: row.id, subject: row.subject, trace: storedTraceHeaders(row.headers) };
        await inPublishSpan(event, (trace) => publisher.publish(row, trace));
        published.push(row.id);
        metrics.published(relayLagSeconds(row.age, performance.now() - claimed));
      } catch (error) {
        metrics.failed();
        failure = { id: row.id, message: error instanceof Error ? error.message : String(error) };
        break;
      }
    }
    if (published.length > 0) {
      await session.execute(sql`update ${outbox} set ${column(outbox.publishedAt)} = now()
        where ${column(outbox.id)} in (${sql.join(
          published.map((id) => sql`${id}`),
          sql`, `,
        )})`);
    }
    if (failure) {
      await session.execute(sql`update ${outbox}
        set ${column(outbox.attempts)} = ${column(outbox.attempts)} + 1, ${column(outbox.lastError)} = ${failure.message.slice(0, 500)}
        where ${column(outbox.id)} = ${failure.id}`);
      log.warn(
        { eventId: failure.id, error: failure.message, published: published.length },
        "publish failed; will retry in order",
      );
      return "failed";
    }
    return rows.length === batchSize ? "more" : "idle";
  }

  async function step(): Promise<number> {
    db ??= await openSession();
    if (!leading) {
      leading = await tryLead(db);
      if (!leading) return leaderRetryMs;
      log.info("leading the outbox relay");
    }
    sessionBackoff.reset();
    const outcome = await drain(db);
    if (outcome === "failed") return publishBackoff.next();
    publishBackoff.reset();
    return outcome === "more" ? 0 : pollMs;
  }

  // A broker that is back gets the waiting rows now, not when the back-off runs out.
  const stopWatching = onReconnect(options.nats, () => pause.wake(), log);

  const loop = (async () => {
    while (!closed) {
      let delay: number;
      try {
        delay = await step();
      } catch (error) {
        // Postgres went away (or the stream could not be ensured): start a new session,
        // which competes for leadership again.
        log.warn({ err: error }, "outbox relay interrupted; reconnecting");
        await dropSession();
        delay = sessionBackoff.next();
      }
      if (!closed && delay > 0) await pause.wait(delay);
    }
    await dropSession();
  })();

  return {
    get leading() {
      return leading;
    },
    async close() {
      closed = true;
      stopWatching();
      metrics.close();
      publisher.close();
      pause.wake();
      await loop;
    },
  };
}
