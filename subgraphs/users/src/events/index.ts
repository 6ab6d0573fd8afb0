import { closeAll, connectNats, startOutboxRelay, type Closeable, type Logger } from "@asky/common";
import { outbox } from "@asky/db/schema/users";
import type { UsersConfig } from "../config.js";

/** Publishes the users outbox (access revocations) to JetStream. */
export async function startEvents(config: UsersConfig, logger: Logger): Promise<Closeable> {
  const nats = await connectNats(config.natsUrl, "asky-users", logger);
  const relay = startOutboxRelay({ service: "users", databaseUrl: config.databaseUrl, outbox, nats, logger });
  return { close: () => closeAll(relay, () => nats.drain()) };
}
