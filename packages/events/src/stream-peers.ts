import type { JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import { STREAM_NAME } from "@asky/contracts";
import type { Logger } from "@asky/runtime";

export interface PeerAdmin {
  readonly streams: Pick<JetStreamManager["streams"], "info" | "update">;
}

export interface PeerRepairOptions {
  /** How long copies may stay unassigned before they are counted as lost. Default 5 s. */
  readonly graceMs?: number;
  readonly pollMs?: number;
}

/**
 * Copies the stream's configuration asks for that JetStream never gave a server. A copy on a
 * server that is down is still listed (offline), so this counts only copies nobody holds.
 */
export function unassignedCopies(info: StreamInfo): number {
  if (!info.cluster?.name) return 0;
  const wanted = Math.max(1, info.config.num_replicas ?? 1);
  const held = 1 + (info.cluster.replicas?.length ?? 0);
  return Math.max(0, wanted - held);
}

/**
 * nats-server 2.9 can leave a stream whose configuration says 3 copies on its leader alone
 * when updates race (a rollout of several processes scaling it up at once): the update is
 * recorded, no peer is ever assigned, and updating it again with the same count changes
 * nothing. Reading the count back is then a lie that would keep every later start from
 * repairing it. Once the copies stay unassigned past a grace period (a fresh scale-up lists
 * its peers within moments), the stream is set to the copies it really has and raised again,
 * which assigns the peers; its messages stay on the leader meanwhile.
 */
export async function reassignMissingCopies(
  jsm: PeerAdmin,
  info: StreamInfo,
  logger: Logger,
  options: PeerRepairOptions = {},
): Promise<StreamInfo> {
  const graceMs = options.graceMs ?? 5_000;
  const pollMs = options.pollMs ?? 250;
  let latest = info;
  const deadline = Date.now() + graceMs;
  while (unassignedCopies(latest) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    latest = await jsm.streams.info(STREAM_NAME);
  }
  const missing = unassignedCopies(latest);
  if (missing === 0) return latest;
  const wanted = Math.max(1, latest.config.num_replicas ?? 1);
  const held = wanted - missing;
  logger.warn(
    { stream: STREAM_NAME, replicas: wanted, held },
    `the stream's configuration asks for ${wanted} copies but only ${held} exist: reassigning them`,
  );
  try {
    await jsm.streams.update(STREAM_NAME, { num_replicas: held });
    return await jsm.streams.update(STREAM_NAME, { num_replicas: wanted });
  } catch (error) {
    // The next start, consumer reopen or failed publish tries again.
    logger.warn({ err: error, stream: STREAM_NAME }, "could not reassign the stream's copies yet");
    return await jsm.streams.info(STREAM_NAME);
  }
}
