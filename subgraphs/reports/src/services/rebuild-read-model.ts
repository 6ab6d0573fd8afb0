import { jetstreamManager, type JsMsg } from "@nats-io/jetstream";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { startOrderedFeed, STREAM_NAME, type NatsConnection } from "@asky/events";
import type { Logger } from "@asky/runtime";
import { truncateReadModel } from "../data/project-request.js";
import { REPLAYED_SUBJECTS, replayedEvent } from "./replayed-event.js";

export interface RebuildOptions {
  /** The reports role's pool; the rebuild holds one of its connections throughout. */
  readonly pool: pg.Pool;
  readonly nats: NatsConnection;
  readonly logger: Logger;
  /** Events applied per transaction (default 500): one commit each, not one per event. */
  readonly batchSize?: number;
  /** How often to ask whether the replay has caught up, while nothing new arrives. */
  readonly pollMs?: number;
}

export interface RebuildResult {
  /** Request lifecycle and stock ledger events applied. */
  readonly applied: number;
  /** Stream sequence the replay read up to. */
  readonly lastSequence: number;
}

/**
 * Empties the read model and replays the request and stock events of the stream into it, from its first
 * message, one at a time (memory stays bounded whatever the stream holds), committing every
 * `batchSize` events. The live consumers may keep running: the projection is idempotent and
 * order-tolerant, so an event both apply leaves the same rows. Every event stored when the
 * truncation committed is replayed (the live consumers wait for the truncation's lock, and
 * what they apply after it is theirs too), so the rows end as the events say.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const { nats, logger } = options;
  const batchSize = options.batchSize ?? 500;
  const client = await options.pool.connect();
  const db = drizzle(client);
  let applied = 0;
  let open = 0;
  let failure: unknown = null;
  // The feed's handler and the loop below share the connection: one statement at a time.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = (work: () => Promise<void>) => {
    const next = turn.then(work).catch((error: unknown) => {
      failure ??= error;
    });
    turn = next;
    return next;
  };
  const commit = () =>
    exclusive(async () => {
      if (open === 0 || failure !== null) return;
      await db.execute(sql`COMMIT`);
      open = 0;
    });
  let feed: ReturnType<typeof startOrderedFeed> | null = null;
  try {
    await db.transaction((tx) => truncateReadModel(tx));
    const target = (await (await jetstreamManager(nats)).streams.info(STREAM_NAME)).state.last_seq;
    logger.info({ target }, "read model emptied; replaying the request and stock events");
    feed = startOrderedFeed({
      nats,
      name: "reports-rebuild",
      filterSubjects: REPLAYED_SUBJECTS,
      start: { kind: "sequence", sequence: 1 },
      logger,
      handle: (message: JsMsg) => {
        const event = replayedEvent(message.subject, () => message.json());
        if (event === "ignored") return;
        if (event === "unreadable") {
          logger.warn({ seq: message.seq }, "replay skips an event it cannot read");
          return;
        }
        return exclusive(async () => {
          if (failure !== null) return;
          if (open === 0) await db.execute(sql`BEGIN`);
          await event(db);
          applied += 1;
          open += 1;
          if (open >= batchSize) {
            await db.execute(sql`COMMIT`);
            open = 0;
          }
        });
      },
    });
    // Done once the feed has read past the target, or has read everything of its subjects
    // (the stream's last messages may be other services' events, which it never sees).
    for (;;) {
      if (failure !== null) throw failure;
      const last = feed.lastSequence ?? 0;
      if (last >= target || (await feed.caughtUp(5_000).catch(() => false))) break;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
    }
    await feed.close();
    const lastSequence = feed.lastSequence ?? 0;
    feed = null;
    await commit();
    if (failure !== null) throw failure;
    logger.info({ applied, lastSequence }, "read model rebuilt");
    return { applied, lastSequence };
  } catch (error) {
    if (open > 0) await db.execute(sql`ROLLBACK`).catch(() => undefined);
    throw error;
  } finally {
    await feed?.close();
    client.release();
  }
}
