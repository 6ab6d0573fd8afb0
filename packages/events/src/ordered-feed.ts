import {
  DeliverPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type Consumer,
  type ConsumerInfo,
  type ConsumerMessages,
  type JsMsg,
} from "@nats-io/jetstream";
import { randomBytes } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import { assertNever, type Logger } from "@asky/runtime";
import { askyMeter } from "@asky/telemetry";
import { STREAM_NAME } from "./nats.js";
import { Backoff, Pause, type BackoffOptions } from "./backoff.js";
import { onReconnect } from "./on-reconnect.js";
import { sequenceAtTime } from "./stream-position.js";

/** Where a feed begins the first time (and again if the stream it reads is recreated). */
export type FeedStart =
  /** Only what is published after the feed starts. */
  | { readonly kind: "new" }
  /** From this sequence; a recreated stream is read from its first message, as the sequence was the old one's. */
  | { readonly kind: "sequence"; readonly sequence: number }
  /** Every message stored at or after `since()`, resolved to a sequence before reading. */
  | { readonly kind: "time"; readonly since: () => Date };

export interface OrderedFeedOptions {
  nats: NatsConnection;
  /** Default STREAM_NAME. */
  stream?: string;
  /** Passed to the ordered consumer; nats-server 2.9 takes one subject only. */
  filterSubjects: string | string[];
  start: FeedStart;
  /** Called once per message, in stream order; what it throws is logged and the message skipped. */
  handle: (message: JsMsg) => void | Promise<void>;
  logger: Logger;
  /**
   * Between two attempts to (re)open the consumer. Default 250 ms → 2 s: after a broker's
   * death the attempts fail until the cluster has elected new leaders (seconds, more under
   * load), and a longer pause would only add to that; an attempt is two small requests.
   */
  retry?: BackoffOptions;
  /**
   * Names the feed's consumers on the server `<name>_<random>_<n>`, so that a listing of the
   * stream's consumers tells whose each one is (say `gateway-access-revocations_…` on the
   * node that hosts it). Characters a consumer name cannot hold become `-`. Default: the
   * library's `oc_<random>`.
   */
  name?: string;
  /**
   * How often the server tells the feed its consumer is alive while no message comes (the
   * pull's idle heartbeat; at least 500 ms). Two missed and the feed drops the consumer and
   * opens a new one from the last sequence + 1. On a JetStream cluster that silence is the only
   * sign a feed gets when the server hosting its consumer (ordered consumers have one copy)
   * dies while its own connection, to another server, stays up: the library then asks after the
   * dead consumer every 30 s and never reads again. Default 1 s: such a feed reads again a few
   * seconds after the death, once the cluster answers (elections take seconds).
   */
  heartbeatMs?: number;
  /**
   * Bound on each JetStream request the feed makes to (re)open its consumer. Default 2 s:
   * requests sent while a cluster elects leaders go unanswered, and with the library's 5 s an
   * attempt made during the election would keep the feed waiting that long after it.
   */
  requestTimeoutMs?: number;
}

export const orderedFeedDefaults = { heartbeatMs: 1_000, requestTimeoutMs: 2_000 } as const;

/** The library refuses idle heartbeats below this. */
const minHeartbeatMs = 500;
/** The library's pull expiry, kept unless the heartbeat needs a longer one (at most half of it). */
const pullExpiresMs = 30_000;

/** A prefix unique to one opening of one feed: consumer names must not collide across replicas. */
function consumerPrefix(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, "-")}_${randomBytes(6).toString("hex")}`;
}

export interface OrderedFeed {
  /**
   * Stream sequence of the last message handled; before the first, one less than where the
   * feed began reading. Null until the start position is known.
   */
  readonly lastSequence: number | null;
  /** The `created` time of the stream being read: a different value means a recreated stream. */
  readonly streamCreated: string | null;
  /** Drops the current consumer and reads on from `lastSequence + 1` (e.g. when it seems stuck). */
  restart(reason: string): void;
  /**
   * Asks the server whether every stored message of the feed's subjects has been handled:
   * false while no consumer is open, when the server no longer knows it, or while a message
   * is still to be read. Rejects when JetStream does not answer within `timeoutMs`.
   */
  caughtUp(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * An ordered JetStream consumer that keeps reading whatever happens to the broker. The
 * library's ordered consumer survives reconnects as long as it was created with a start
 * *sequence*, but may take up to 45 s to read again (see onReconnect); this adds what it does
 * not do: a start time is resolved to a sequence first, the consumer is reopened at once on a
 * reconnect, a consumer the server stops confirming (two missed heartbeats: on a cluster, its
 * server died) is replaced at once, an iterator that ends or throws (a consumer or stream gone
 * from the server) is reopened with back-off, always from the last sequence seen + 1 (no gap,
 * no duplicate), a recreated stream is read again from the start position, and nothing
 * escapes as an unhandled rejection.
 */
export function startOrderedFeed(options: OrderedFeedOptions): OrderedFeed {
  const stream = options.stream ?? STREAM_NAME;
  const log = options.logger.child({ component: "ordered-feed", subjects: options.filterSubjects });
  const backoff = new Backoff(options.retry ?? { initialMs: 250, maxMs: 2_000 });
  const heartbeatMs = Math.max(minHeartbeatMs, options.heartbeatMs ?? orderedFeedDefaults.heartbeatMs);
  const requestTimeoutMs = options.requestTimeoutMs ?? orderedFeedDefaults.requestTimeoutMs;
  // No API check first: the stream info that follows is the check, and needs one answer less.
  const manager = () => jetstreamManager(options.nats, { timeout: requestTimeoutMs, checkAPI: false });
  const pause = new Pause();
  let lastSequence: number | null = null;
  let streamCreated: string | null = null;
  let messages: ConsumerMessages | null = null;
  let consumer: Consumer | null = null;
  /** True while the handler runs: a message taken from the iterator but not yet handled. */
  let handling = false;
  let closed = false;
  let restartRequested = false;
  // A feed that keeps losing its consumer (a flapping broker, missed heartbeats) serves stale
  // or late events without any error to see; the rate of reopenings shows it. Created at start.
  const restarts = askyMeter().createCounter("asky_ordered_feed_restarts_total", {
    description: "Consumers of an ordered feed dropped and reopened (reconnect, missed heartbeats, end or failure)",
  });
  const feedLabel = { feed: options.name ?? [options.filterSubjects].flat().join(",") };

  async function startSequence(state: { first_seq: number; last_seq: number }, recreated: boolean): Promise<number> {
    const start = options.start;
    switch (start.kind) {
      case "new":
        return state.last_seq + 1;
      case "sequence":
        return recreated ? state.first_seq : Math.max(start.sequence, state.first_seq);
      case "time":
        return sequenceAtTime(await manager(), stream, start.since());
      default:
        return assertNever(start, "feed start");
    }
  }

  /** Where to read from now: on from the last message, or from the start on a new stream. */
  async function position(): Promise<number> {
    const jsm = await manager();
    const info = await jsm.streams.info(stream);
    const recreated =
      streamCreated !== null && (info.created !== streamCreated || info.state.last_seq < (lastSequence ?? 0));
    if (recreated)
      log.warn(
        { previous: streamCreated, created: info.created },
        "the stream was recreated; reading it from the start position",
      );
    if (lastSequence === null || recreated) lastSequence = (await startSequence(info.state, recreated)) - 1;
    streamCreated = info.created;
    return lastSequence + 1;
  }

  /**
   * Ends `reading` when the server stops confirming its consumer: a consumer whose server died
   * is never heard of again, while the connection (to another server) says nothing is wrong.
   */
  function watchHeartbeats(reading: ConsumerMessages): void {
    void (async () => {
      // Ends with `reading`: the library stops its status iterators when it stops.
      for await (const status of reading.status()) {
        if (status.type !== "heartbeats_missed" || messages !== reading) continue;
        restart(`no heartbeat from the consumer for ${status.count} × ${heartbeatMs} ms; its server may be gone`);
        return;
      }
    })().catch((error: unknown) => log.warn({ err: error }, "stopped watching the consumer's heartbeats"));
  }

  let opens = 0;
  async function read(): Promise<void> {
    const from = await position();
    const opened = await jetstream(options.nats, { timeout: requestTimeoutMs }).consumers.get(stream, {
      filter_subjects: options.filterSubjects,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
      ...(options.name === undefined ? {} : { name_prefix: consumerPrefix(options.name) }),
    });
    // A consumer or stream gone from the server ends the iterator, and this loop reopens it
    // from where it was: the library would otherwise retry forever, or recreate it itself.
    const current = await opened.consume({
      abort_on_missing_resource: true,
      idle_heartbeat: heartbeatMs,
      expires: Math.max(pullExpiresMs, 2 * heartbeatMs),
    });
    consumer = opened;
    messages = current;
    watchHeartbeats(current);
    if (closed) current.stop();
    backoff.reset();
    try {
      // After a restart or a failure, say that it reads again: the warning before said why it stopped.
      log[opens++ === 0 ? "debug" : "info"]({ from, consumer: (await opened.info(true)).name }, "reading");
      for await (const message of current) {
        // Never backwards: a consumer the library recreated replays nothing we have handled.
        if (message.seq <= (lastSequence ?? 0)) continue;
        handling = true;
        try {
          await options.handle(message);
        } catch (error) {
          log.warn({ err: error, seq: message.seq }, "message handler failed; skipping the message");
        } finally {
          handling = false;
        }
        lastSequence = message.seq;
      }
    } finally {
      consumer = null;
      // The server would drop it after a few idle minutes anyway; this only tidies up sooner.
      opened.delete().catch(() => undefined);
    }
  }

  function restart(reason: string): void {
    if (closed) return;
    if (messages === null) {
      // Between two attempts: make the next one now.
      pause.wake();
      return;
    }
    log.warn({ reason, lastSequence }, "restarting the consumer");
    restartRequested = true;
    // The messages already received are still handled before the iterator ends.
    messages.stop();
  }

  const stopWatching = onReconnect(
    options.nats,
    () => {
      backoff.reset();
      restart("reconnected to NATS");
    },
    log,
  );

  const loop = (async () => {
    while (!closed) {
      try {
        await read();
        if (!closed && !restartRequested) log.warn("the consumer ended; reopening it");
      } catch (error) {
        if (!closed) log.warn({ err: error }, "the consumer failed; reopening it");
      }
      // Counted only when a consumer was reading: failed attempts to open one are not restarts.
      if (!closed && messages !== null) restarts.add(1, feedLabel);
      messages = null;
      const immediate = restartRequested;
      restartRequested = false;
      if (!closed && !immediate) await pause.wait(backoff.next());
    }
  })().catch((error: unknown) => log.error({ err: error }, "ordered feed stopped"));

  return {
    get lastSequence() {
      return lastSequence;
    },
    get streamCreated() {
      return streamCreated;
    },
    restart,
    async caughtUp(timeoutMs) {
      const current = consumer;
      const reading = messages;
      if (current === null || reading === null) return false;
      const { name } = await current.info(true);
      let info: ConsumerInfo;
      try {
        // No API check first: one request a probe, bounded by `timeoutMs`.
        const jsm = await jetstreamManager(options.nats, { timeout: timeoutMs, checkAPI: false });
        info = await jsm.consumers.info(stream, name);
      } catch (error) {
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return false;
        throw error;
      }
      // Received by the client but not yet handed to this loop, or being handled.
      const buffered = reading.getReceived() - reading.getProcessed();
      return info.num_pending === 0 && buffered === 0 && !handling;
    },
    async close() {
      closed = true;
      stopWatching();
      pause.wake();
      messages?.stop();
      await loop;
    },
  };
}
