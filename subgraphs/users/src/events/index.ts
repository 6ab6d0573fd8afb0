import { closeAll, connectNats, startOutboxRelay, type Closeable, type Logger, type NatsConnection } from "@asky/common";
import { outbox } from "@asky/db/schema/users";
import type { UsersConfig } from "../config.js";
import type { UsersExecutor } from "../data/db.js";
import { answerRevocationWatermarks } from "./revocation-watermark.js";

export interface UsersEvents extends Closeable {
  /** The service's NATS connection, e.g. for its own revocation feed. */
  readonly nats: NatsConnection;
  /** Starts answering gateways' and subgraphs' revocation watermark questions, from the service's pool. */
  answerWatermarks(db: UsersExecutor): void;
}

/** Publishes the users outbox (access revocations) to JetStream and vouches for it to gateways and subgraphs. */
export async function startEvents(config: UsersConfig, logger: Logger): Promise<UsersEvents> {
  const nats = await connectNats(config.natsUrl, "asky-users", logger);
  const relay = startOutboxRelay({ service: "users", databaseUrl: config.databaseUrl, outbox, nats, logger });
  let watermarks: Closeable | null = null;
  return {
    nats,
    answerWatermarks(db) {
      watermarks ??= answerRevocationWatermarks(nats, db, logger);
    },
    close: () => closeAll(async () => watermarks?.close(), relay, () => nats.drain()),
  };
}
