import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventSubjects, REVOCATION_WATERMARK_SUBJECT, STREAM_NAME, type Closeable, type Logger, type RevocationWatermark } from "@asky/common";
import type { UsersExecutor } from "../data/db.js";
import { hasUnpublishedRevocation } from "../data/revocations.js";

/**
 * Answers gateways asking whether their revocation feed can be complete (see
 * REVOCATION_WATERMARK_SUBJECT). Every replica answers, one per question (a queue group):
 * the outbox and the stream are shared, so any of them knows. The order of the two checks
 * is what makes the answer true: the outbox first, then the stream, so that a revocation
 * committed before the question is either seen unpublished or already in the stream.
 * No answer at all (Postgres or JetStream unreachable) is read by the gateway as "not proven".
 */
export function answerRevocationWatermarks(nats: NatsConnection, db: UsersExecutor, logger: Logger): Closeable {
  const log = logger.child({ component: "revocation-watermark" });
  let jsm: Promise<JetStreamManager> | null = null;

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

  const subscription = nats.subscribe(REVOCATION_WATERMARK_SUBJECT, {
    queue: "asky-users",
    callback: (error, message) => {
      if (error) return log.warn({ err: error }, "revocation watermark subscription error");
      watermark()
        .then((answer) => void message.respond(JSON.stringify(answer)))
        .catch((failure: unknown) => log.debug({ err: failure }, "revocation watermark not answered"));
    },
  });
  return {
    async close() {
      subscription.unsubscribe();
    },
  };
}
