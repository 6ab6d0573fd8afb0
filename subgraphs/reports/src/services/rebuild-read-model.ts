import { jetstreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { parseStored, requestLifecycleEvents } from "@asky/contracts";
import { startOrderedFeed, STREAM_NAME, type NatsConnection } from "@asky/events";
import type { Logger } from "@asky/runtime";
import type * as tables from "@asky/db/schema/reports";
import { truncateReadModel } from "../data/project-request.js";
import { projectRequestEvent } from "./project-request-event.js";

export interface RebuildOptions {
  readonly db: NodePgDatabase<typeof tables>;
  readonly nats: NatsConnection;
  readonly logger: Logger;
  /** How often to ask whether the replay has caught up, while nothing new arrives. */
  readonly pollMs?: number;
}

export interface RebuildResult {
  /** Request lifecycle events applied. */
  readonly applied: number;
  /** Stream sequence the replay read up to. */
  readonly lastSequence: number;
}

const contracts = new Map<string, (typeof requestLifecycleEvents)[number]>(
  requestLifecycleEvents.map((contract) => [contract.subject, contract]),
);

/**
 * Empties the read model and replays the request events of the stream into it, from its first
 * message, one at a time (memory stays bounded whatever the stream holds). The live consumers
 * may keep running: the projection is idempotent and order-tolerant, so an event both apply
 * leaves the same rows. Every event stored when the truncation committed is replayed (the
 * live consumers wait for the truncation's lock, and what they apply after it is theirs too),
 * so the rows end as the events say, not as the consumers' history with the read model did.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const { db, nats, logger } = options;
  await db.transaction((tx) => truncateReadModel(tx));
  const target = (await (await jetstreamManager(nats)).streams.info(STREAM_NAME)).state.last_seq;
  logger.info({ target }, "read model emptied; replaying the request events");
  let applied = 0;
  let failure: unknown = null;
  const feed = startOrderedFeed({
    nats,
    name: "reports-rebuild",
    filterSubjects: "asky.requests.>",
    start: { kind: "sequence", sequence: 1 },
    logger,
    handle: async (message: JsMsg) => {
      const contract = contracts.get(message.subject);
      if (!contract) return; // pick_recorded: nothing the read model keeps
      const event = parseStored(contract, message.json());
      if (!event) {
        logger.warn({ seq: message.seq }, "replay skips an event it cannot read");
        return;
      }
      try {
        await projectRequestEvent(db, event);
        applied += 1;
      } catch (error) {
        failure = error;
      }
    },
  });
  try {
    // Done once the feed has read past the target, or has read everything of its subjects
    // (the stream's last messages may be other services' events, which it never sees).
    for (;;) {
      if (failure !== null) throw failure;
      const last = feed.lastSequence ?? 0;
      if (last >= target || (await feed.caughtUp(5_000).catch(() => false))) break;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
    }
    if (failure !== null) throw failure;
    const lastSequence = feed.lastSequence ?? 0;
    logger.info({ applied, lastSequence }, "read model rebuilt");
    return { applied, lastSequence };
  } finally {
    await feed.close();
  }
}
