/** What the JetStream cluster tests share: their subject, and waits on the stream's and a consumer's leaders. */
import { jetstreamManager, type StreamInfo } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { STREAM_NAME } from "../src/nats.js";
import { eventually } from "./events-fixtures.js";

export const SUBJECT = "asky.test.clustered";

/**
 * The stream's info once JetStream reports a leader and every other copy current. A timeout
 * says what the stream looked like last, so a failure on a loaded machine can be told apart
 * from a scale-up that never landed.
 */
export async function settled(nc: NatsConnection, replicas: number, timeoutMs = 15_000): Promise<StreamInfo> {
  const jsm = await jetstreamManager(nc);
  // Held in an object: TypeScript cannot see the callback assign a plain local.
  const last: { info: StreamInfo | null } = { info: null };
  try {
    return await eventually(
      async () => {
        const info = await jsm.streams.info(STREAM_NAME).catch(() => null);
        last.info = info ?? last.info;
        const peers = info?.cluster?.replicas ?? [];
        const ready =
          info?.config.num_replicas === replicas &&
          Boolean(info.cluster?.leader) &&
          peers.length === replicas - 1 &&
          peers.every((peer) => peer.current && !peer.offline);
        return ready ? info : null;
      },
      timeoutMs,
      `the stream's leader and ${replicas - 1} current peers`,
    );
  } catch (error) {
    const seen = last.info;
    const state = seen ? JSON.stringify({ replicas: seen.config.num_replicas, cluster: seen.cluster }) : "no stream";
    throw new Error(`${(error as Error).message}; last seen: ${state}`, { cause: error });
  }
}

/** Asks the consumer's leader to step down until JetStream elects one on `node`. */
export async function moveConsumerLeader(nc: NatsConnection, durable: string, node: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await eventually(
    async () => {
      const info = await jsm.consumers.info(STREAM_NAME, durable).catch(() => null);
      const leader = info?.cluster?.leader;
      if (leader === node) return true;
      if (leader)
        await nc.request(`$JS.API.CONSUMER.LEADER.STEPDOWN.${STREAM_NAME}.${durable}`, "", { timeout: 2_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      return false;
    },
    20_000,
    `the consumer's leader on ${node}`,
  );
}

export function membersOf(info: StreamInfo): string[] {
  return [info.cluster?.leader ?? "", ...(info.cluster?.replicas ?? []).map((peer) => peer.name)].sort();
}
