import { connect, type NatsConnection } from "@nats-io/transport-node";
import { STREAM_NAME, STREAM_SUBJECTS } from "@asky/contracts";
import type { Logger } from "@asky/runtime";

export { STREAM_NAME, STREAM_SUBJECTS };
export type { NatsConnection };

/**
 * Connects and keeps reconnecting forever: a broker restart must never take a service
 * down, because the outbox holds every event until it is published.
 *
 * `servers` may list several members of one cluster (NATS_URL, comma-separated): the client
 * connects to whichever answers, learns the rest of the cluster from it, and moves to another
 * member when its own goes away.
 */
export async function connectNats(
  servers: string | readonly string[],
  name: string,
  logger: Logger,
): Promise<NatsConnection> {
  const nc = await connect({
    servers: typeof servers === "string" ? servers : [...servers],
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
