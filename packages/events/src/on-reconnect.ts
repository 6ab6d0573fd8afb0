import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "@asky/runtime";

/**
 * Calls `listener` each time the connection is re-established (after a broker restart, a
 * network cut). Consumers use it to reopen at once: after a reconnect @nats-io/jetstream
 * re-pulls on its own only if JetStream answers its first consumer check, and otherwise
 * waits 15 to 45 s before the next one (jitter over the pull's 30 s expiry). Returns a
 * function that stops watching.
 */
export function onReconnect(nats: NatsConnection, listener: () => void, logger: Logger): () => void {
  const statuses = nats.status();
  let stopped = false;
  void (async () => {
    try {
      for await (const status of statuses) {
        if (stopped) return;
        if (status.type !== "reconnect") continue;
        try {
          listener();
        } catch (error) {
          logger.error({ err: error }, "reconnect listener failed");
        }
      }
    } catch (error) {
      logger.warn({ err: error }, "stopped watching the NATS connection");
    }
  })();
  return () => {
    stopped = true;
    // The iterator `status()` returns is a QueuedIterator; ending it frees its listener slot.
    (statuses as AsyncIterable<unknown> & { stop?: () => void }).stop?.();
  };
}
