import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { Msg, NatsConnection } from "@nats-io/transport-node";
import { eventSubjects } from "@asky/contracts";
import { REVOCATION_WATERMARK_SUBJECT, type RevocationWatermark } from "@asky/auth";
import { STREAM_NAME } from "@asky/events";
import { type Closeable, type Logger } from "@asky/runtime";
import type { UsersExecutor } from "../data/db.js";
import { hasUnpublishedRevocation } from "../data/revocations.js";

/**
 * Questions that arrive this close together share one check. Every gateway and subgraph
 * replica asks on the same beat (FeedWatermark), so a whole cluster's questions of one beat
 * cost a users replica one check instead of one each; their proofs are this much shorter.
 */
const gatherMs = 10;
/** More waiting questions than any cluster asks per beat means something is flooding the subject. */
const maxWaiting = 10_000;

/**
 * Answers gateways and subgraphs asking whether their revocation feed can be complete (see
 * REVOCATION_WATERMARK_SUBJECT). Every replica answers, one per question (a queue group): the
 * outbox and the stream are shared, so any of them knows. The order of the two checks is what
 * makes the answer true: the outbox first, then the stream, so that a revocation committed
 * before the question is either seen unpublished or already in the stream. A check answers
 * only questions that arrived before it began, so sharing one keeps that true for each.
 * No answer at all (Postgres or JetStream unreachable) is read by the asker as "not proven".
 */
export function answerRevocationWatermarks(nats: NatsConnection, db: UsersExecutor, logger: Logger): Closeable {
  const log = logger.child({ component: "revocation-watermark" });
  let jsm: Promise<JetStreamManager> | null = null;
  let waiting: Msg[] = [];
  let scheduled: NodeJS.Timeout | null = null;
  let checking = false;
  let closed = false;

  async function watermark(): Promise<RevocationWatermark> {
    if (await hasUnpublishedRevocation(db)) return { kind: "pending" };
    jsm ??= jetstreamManager(nats).catch((error: unknown) => {
      jsm = null;
      throw error;
    });
    const manager = await jsm;
    const [info, last] = await Promise.all([
      manager.streams.info(STREAM_NAME),
      manager.streams.getMessage(STREAM_NAME, { last_by_subj: eventSubjects.accessRevoked }),
    ]);
    return { kind: "complete", sequence: last?.seq ?? 0, streamCreated: info.created };
  }

  function schedule(): void {
    if (closed || checking || scheduled !== null || waiting.length === 0) return;
    scheduled = setTimeout(() => void check(), gatherMs);
  }

  async function check(): Promise<void> {
    scheduled = null;
    checking = true;
    // Taken before the check begins: each of these questions arrived before it.
    const questions = waiting;
    waiting = [];
    try {
      const answer = JSON.stringify(await watermark());
      for (const question of questions) question.respond(answer);
    } catch (failure) {
      log.debug({ err: failure }, "revocation watermark not answered");
    } finally {
      checking = false;
      schedule();
    }
  }

  const subscription = nats.subscribe(REVOCATION_WATERMARK_SUBJECT, {
    queue: "asky-users",
    callback: (error, message) => {
      if (error) return log.warn({ err: error }, "revocation watermark subscription error");
      if (waiting.length >= maxWaiting) return;
      waiting.push(message);
      schedule();
    },
  });
  return {
    async close() {
      closed = true;
      if (scheduled !== null) clearTimeout(scheduled);
      subscription.unsubscribe();
    },
  };
}
