import type { NatsConnection } from "@nats-io/transport-node";
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from "@nats-io/jetstream";
import { STREAM_NAME, STREAM_SUBJECTS } from "@asky/contracts";
import type { Logger } from "@asky/runtime";
import { reassignMissingCopies } from "./stream-peers.js";

/** The variable the replica count comes from: every message about it names it. */
const REPLICAS_VARIABLE = "NATS_STREAM_REPLICAS";

/** JetStream's error codes this module tells apart (nats-server's errors.json). */
const serverCodes = {
  /** "replicas > 1 not supported in non-clustered mode" */
  replicasNotSupported: 10074,
  /** "no suitable peers for placement": fewer servers up (or in the cluster) than replicas. */
  noSuitablePeers: 10005,
  /** "insufficient resources" */
  insufficientResources: 10023,
} as const;

export type StreamReplicasErrorCode =
  /** A count above 1 on a server that is not clustered: only the configuration can fix it. */
  | "NATS_STREAM_REPLICAS_UNSUPPORTED"
  /** The cluster cannot place that many copies now (a broker down, or too few brokers). */
  | "NATS_STREAM_REPLICAS_UNPLACEABLE";

export class StreamReplicasError extends Error {
  constructor(
    readonly code: StreamReplicasErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "StreamReplicasError";
  }

  /** True when retrying cannot help and a start should fail instead. */
  get fatal(): boolean {
    return this.code === "NATS_STREAM_REPLICAS_UNSUPPORTED";
  }
}

export interface EnsureStreamOptions {
  /** Copies of the stream JetStream should keep: NATS_STREAM_REPLICAS. */
  readonly replicas: number;
  readonly logger: Logger;
  /**
   * Bound on each JetStream API request. Default: the library's 5 s. The relay passes its
   * publish timeout: while a cluster elects a new leader these requests go unanswered, and
   * the relay should try again soon after the election rather than seconds later.
   */
  readonly timeoutMs?: number;
}

const nanosPerSecond = 1_000_000_000;

function streamConfig(replicas: number) {
  return {
    name: STREAM_NAME,
    subjects: [STREAM_SUBJECTS],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: 7 * 24 * 3600 * nanosPerSecond,
    duplicate_window: 10 * 60 * nanosPerSecond,
    num_replicas: replicas,
  };
}

function apiCode(error: unknown): number | undefined {
  return error instanceof JetStreamApiError ? error.code : undefined;
}

function unsupported(replicas: number, cause?: unknown): StreamReplicasError {
  return new StreamReplicasError(
    "NATS_STREAM_REPLICAS_UNSUPPORTED",
    `${REPLICAS_VARIABLE}=${replicas}, but the NATS server is not a JetStream cluster and keeps one copy only: ` +
      `set ${REPLICAS_VARIABLE}=1, or point NATS_URL at a JetStream cluster of at least ${replicas} servers`,
    cause === undefined ? undefined : { cause },
  );
}

function unplaceable(replicas: number, cause: unknown): StreamReplicasError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StreamReplicasError(
    "NATS_STREAM_REPLICAS_UNPLACEABLE",
    `JetStream cannot place ${replicas} copies of the ${STREAM_NAME} stream (${REPLICAS_VARIABLE}=${replicas}): ${reason}. ` +
      `Fewer JetStream servers are up than replicas asked; retrying`,
    { cause },
  );
}

function isPlacementFailure(error: unknown): boolean {
  const code = apiCode(error);
  return code === serverCodes.noSuitablePeers || code === serverCodes.insufficientResources;
}

/** The part of JetStream's stream API this module uses. */
export interface StreamAdmin {
  readonly streams: Pick<JetStreamManager["streams"], "add" | "info" | "update">;
}

async function streamInfo(jsm: StreamAdmin): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(STREAM_NAME);
  } catch (error) {
    if (apiCode(error) === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  }
}

/** Replica count of a stream as stored; streams created without one have one copy. */
function replicasOf(info: StreamInfo): number {
  return Math.max(1, info.config.num_replicas ?? 1);
}

/**
 * A clustered stream's info names its cluster. nats-server 2.9 standalone gives no cluster
 * at all, and accepts (silently) an update to more replicas than it can keep, so the info is
 * what tells a single server apart, not the update's answer.
 */
function clustered(info: StreamInfo): boolean {
  return Boolean(info.cluster?.name);
}

async function create(jsm: StreamAdmin, replicas: number): Promise<StreamInfo> {
  try {
    return await jsm.streams.add(streamConfig(replicas));
  } catch (error) {
    // Another process may have created it between our info() and add(): reconcile with that.
    // (nats-server 2.9 does not even answer the losers of simultaneous creates in a cluster:
    // their add() times out, and reading the stream is how they learn what won.)
    const raced = await streamInfo(jsm).catch(() => null);
    if (raced) return raced;
    if (apiCode(error) === serverCodes.replicasNotSupported) throw unsupported(replicas, error);
    if (isPlacementFailure(error)) throw unplaceable(replicas, error);
    throw error;
  }
}

/**
 * Makes sure the ASKY stream exists with at least `replicas` copies, and returns its info.
 *
 * How differing values are reconciled (two services, or two versions of one, started with
 * different NATS_STREAM_REPLICAS): the stream is only ever scaled **up**. A start asking for
 * more copies than the stream has raises it; a start asking for fewer leaves it alone and
 * says so in a warning. So the highest value any process was started with wins and stays,
 * whatever the order of the starts, and the stream never flaps between two counts. Scaling
 * down is an operator's decision (`nats stream edit ASKY --replicas 1`), never a start's.
 * One window is left, as JetStream has no conditional update: two processes scaling up at
 * the same moment to two different counts (2 and 3, say) may see the lower land last; the
 * next call from the process configured higher (its next start, consumer reopen or failed
 * publish) raises it again. A rollout from one value to another never hits it: processes
 * still on the lower value do not write to a stream that exists.
 *
 * Errors: more than one replica on a server that is not clustered is a StreamReplicasError
 * that is `fatal` (the start must fail, naming the variable: no retry can fix it). A cluster
 * that cannot place the copies now (a broker down) is not fatal: creating the stream then
 * fails with a non-fatal StreamReplicasError the callers retry, and scaling an existing
 * stream up is postponed with a warning, since the stream works meanwhile with the copies
 * it has; the next call tries again. Anything else (JetStream not answering) is rethrown.
 */
export async function ensureStream(nc: NatsConnection, options: EnsureStreamOptions): Promise<StreamInfo> {
  const { replicas, logger, timeoutMs } = options;
  const jsm = await jetstreamManager(nc, timeoutMs === undefined ? {} : { timeout: timeoutMs });
  const existing = await streamInfo(jsm);
  const info = existing ?? (await create(jsm, replicas));
  const current = replicasOf(info);
  if (replicas > 1 && !clustered(info)) throw unsupported(replicas);
  if (current > replicas) {
    logger.warn(
      { stream: STREAM_NAME, replicas: current, configured: replicas },
      `the stream keeps its ${current} replicas: ${REPLICAS_VARIABLE}=${replicas} never scales it down`,
    );
    return reassignMissingCopies(jsm, info, logger);
  }
  const reached = current === replicas ? info : await scaleStreamUp(jsm, info, replicas, logger);
  return replicasOf(reached) > 1 ? reassignMissingCopies(jsm, reached, logger) : reached;
}

/**
 * How many times one call asks for the scale-up while JetStream leaves the request unanswered.
 * nats-server 2.9 answers only one of simultaneous stream updates and may drop the others
 * without applying them, so an unanswered update is not a lost race to trust: reading the
 * stream tells whether another process's scale-up landed, and if none did, asking again is
 * what keeps a rollout from ending on fewer copies than configured until the next start.
 */
const SCALE_UP_ATTEMPTS = 3;

export async function scaleStreamUp(
  jsm: StreamAdmin,
  info: StreamInfo,
  replicas: number,
  logger: Logger,
): Promise<StreamInfo> {
  const current = replicasOf(info);
  let lastError: unknown;
  let latest: StreamInfo = info;
  for (let attempt = 1; attempt <= SCALE_UP_ATTEMPTS; attempt++) {
    try {
      const scaled = await jsm.streams.update(STREAM_NAME, { num_replicas: replicas });
      logger.info({ stream: STREAM_NAME, from: current, to: replicas }, "scaled the stream up");
      return scaled;
    } catch (error) {
      lastError = error;
      // Another process may have scaled it already (the same value, or a higher one).
      const now = await streamInfo(jsm).catch(() => null);
      if (now && replicasOf(now) >= replicas) return now;
      if (now) latest = now;
      if (apiCode(error) === serverCodes.replicasNotSupported) throw unsupported(replicas, error);
      // Only an unanswered request is worth asking again now. A refusal (a placement failure
      // among them) will not change within this call: a broker has to come back first.
      if (error instanceof JetStreamApiError) break;
    }
  }
  logger.warn(
    {
      err: isPlacementFailure(lastError) ? unplaceable(replicas, lastError) : lastError,
      replicas: replicasOf(latest),
      configured: replicas,
    },
    "could not scale the stream up yet; it keeps working with the replicas it has",
  );
  return latest;
}
