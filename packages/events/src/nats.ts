import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy } from "@nats-io/jetstream";
import { STREAM_NAME, STREAM_SUBJECTS } from "@asky/contracts";
import type { Logger } from "@asky/runtime";

export { STREAM_NAME, STREAM_SUBJECTS };

/**
 * Connects and keeps reconnecting forever: a broker restart must never take a service
 * down, because the outbox holds every event until it is published.
 */
export async function connectNats(url: string, name: string, logger: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    waitOnFirstConnect: true,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect" || status.type === "reconnect" || status.type === "error") {
        logger.warn({ nats: status.type }, "NATS connection status changed");
      }
    }
  })();
  return nc;
}

const nanosPerSecond = 1_000_000_000;

/** Creates the ASKY stream when absent; replicas racing here is harmless. */
export async function ensureStream(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    name: STREAM_NAME,
    subjects: [STREAM_SUBJECTS],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: 7 * 24 * 3600 * nanosPerSecond,
    duplicate_window: 10 * 60 * nanosPerSecond,
  };
  try {
    await jsm.streams.info(STREAM_NAME);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (error) {
      // Another replica may have created it between our info() and add().
      await jsm.streams.info(STREAM_NAME).catch(() => {
        throw error;
      });
    }
  }
}
export type { NatsConnection } from "@nats-io/transport-node";
