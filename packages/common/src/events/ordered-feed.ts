import { DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "../logger.js";
import { STREAM_NAME } from "../nats.js";
import { Backoff, Pause, type BackoffOptions } from "./backoff.js";
import { sequenceAtTime } from "./stream-position.js";

/** Where a feed begins the first time (and again if the stream it reads is recreated). */
export type FeedStart =
  /** Only what is published after the feed starts. */
  | { readonly kind: "new" }
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
  /** Between two attempts to (re)open the consumer. Default 250 ms → 5 s. */
  retry?: BackoffOptions;
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
  close(): Promise<void>;
}

/**
 * An ordered JetStream consumer that keeps reading whatever happens to the broker. The
 * library's ordered consumer already survives reconnects as long as it was created with a
 * start *sequence*; this adds what it does not do: a start time is resolved to a sequence
 * first, an iterator that ends or throws is reopened with back-off from the last sequence
 * seen + 1 (no gap, no duplicate), a recreated stream is read again from the start position,
 * and nothing escapes as an unhandled rejection.
 */
export function startOrderedFeed(options: OrderedFeedOptions): OrderedFeed {
  const stream = options.stream ?? STREAM_NAME;
  const log = options.logger.child({ component: "ordered-feed", subjects: options.filterSubjects });
  const backoff = new Backoff(options.retry ?? { initialMs: 250, maxMs: 5_000 });
  const pause = new Pause();
  let lastSequence: number | null = null;
  let streamCreated: string | null = null;
  let messages: ConsumerMessages | null = null;
  let closed = false;
  let restartRequested = false;

  async function startSequence(state: { first_seq: number; last_seq: number }): Promise<number> {
    const start = options.start;
    switch (start.kind) {
      case "new":
        return state.last_seq + 1;
      case "sequence":
        return Math.max(start.sequence, state.first_seq);
      case "time":
        return sequenceAtTime(await jetstreamManager(options.nats), stream, start.since());
      default: {
        const unreachable: never = start;
        throw new Error(`unknown feed start ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Where to read from now: on from the last message, or from the start on a new stream. */
  async function position(): Promise<number> {
    const jsm = await jetstreamManager(options.nats);
    const info = await jsm.streams.info(stream);
    const recreated = streamCreated !== null && (info.created !== streamCreated || info.state.last_seq < (lastSequence ?? 0));
    if (recreated) log.warn({ previous: streamCreated, created: info.created }, "the stream was recreated; reading it from the start position");
    if (lastSequence === null || recreated) lastSequence = (await startSequence(info.state)) - 1;
    streamCreated = info.created;
    return lastSequence + 1;
  }

  async function read(): Promise<void> {
    const from = await position();
    const consumer = await jetstream(options.nats).consumers.get(stream, {
      filter_subjects: options.filterSubjects,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
    });
    const current = await consumer.consume();
    messages = current;
    if (closed) current.stop();
    backoff.reset();
    log.debug({ from }, "reading");
    try {
      for await (const message of current) {
        // Never backwards: a consumer the library recreated replays nothing we have handled.
        if (message.seq <= (lastSequence ?? 0)) continue;
        try {
          await options.handle(message);
        } catch (error) {
          log.warn({ err: error, seq: message.seq }, "message handler failed; skipping the message");
        }
        lastSequence = message.seq;
      }
    } finally {
      // The server would drop it after a few idle minutes anyway; this only tidies up sooner.
      consumer.delete().catch(() => undefined);
    }
  }

  const loop = (async () => {
    while (!closed) {
      try {
        await read();
        if (!closed && !restartRequested) log.warn("the consumer ended; reopening it");
      } catch (error) {
        if (!closed) log.warn({ err: error }, "the consumer failed; reopening it");
      }
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
    restart(reason) {
      if (closed || messages === null) return;
      log.warn({ reason, lastSequence }, "restarting the consumer");
      restartRequested = true;
      messages.stop();
    },
    async close() {
      closed = true;
      pause.wake();
      messages?.stop();
      await loop;
    },
  };
}
