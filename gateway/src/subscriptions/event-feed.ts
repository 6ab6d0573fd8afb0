import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { onReconnect, startOrderedFeed, STREAM_NAME, type Logger, type OrderedFeed } from "@asky/common";
import { REQUEST_EVENT_SUBJECTS, toRequestEvent, type RequestEventMessage } from "./request-event.js";

export type EventListener = (event: RequestEventMessage) => void;

/** How far back a resuming subscriber may reach before it must reload instead. */
export interface ReplayBounds {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
}

/**
 * `resync`: the events after the cursor cannot (or should not) be replayed, and the client
 * must reload what it shows. `stopped`: the caller asked to stop.
 */
export type ReplayOutcome = { kind: "replayed" } | { kind: "stopped" } | { kind: "resync"; why: string };

const replayed: ReplayOutcome = { kind: "replayed" };

/**
 * One live feed of request events per gateway process, whatever the number of
 * subscribers: an ordered (ephemeral) JetStream consumer from "now" that outlives broker
 * restarts (startOrderedFeed: reopened from the last sequence seen + 1, so subscribers miss
 * nothing and get nothing twice). Every replica has its own, so a change made through any
 * gateway reaches subscribers of all of them.
 */
export class RequestEventFeed {
  private readonly listeners = new Set<EventListener>();
  private feed: OrderedFeed | null = null;
  private jsm: JetStreamManager | null = null;
  private last = 0;

  constructor(private readonly nc: NatsConnection, private readonly logger: Logger) {}

  /** Highest stream sequence seen live; a resuming subscriber replays up to here. */
  get lastSeq(): number {
    return this.last;
  }

  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    this.jsm = jsm;
    // Known before the first subscriber arrives: a replay ends where the live feed begins.
    this.last = (await jsm.streams.info(STREAM_NAME)).state.last_seq;
    this.feed = startOrderedFeed({
      nats: this.nc,
      filterSubjects: REQUEST_EVENT_SUBJECTS,
      start: { kind: "sequence", sequence: this.last + 1 },
      handle: (message) => this.receive(message),
      logger: this.logger.child({ feed: "request-events" }),
    });
  }

  private receive(message: JsMsg): void {
    // Before the listeners run: a replay fixing its end meanwhile must include this event,
    // which a subscription group created after this dispatch would not get live.
    this.last = message.seq;
    const event = this.parse(message);
    if (!event) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, seq: message.seq }, "request event listener failed");
      }
    }
  }

  /** Whether every stored request event has reached the listeners (see OrderedFeed.caughtUp). */
  async caughtUp(timeoutMs: number): Promise<boolean> {
    return this.feed === null ? false : this.feed.caughtUp(timeoutMs);
  }

  /** Reopens the live consumer from the last event seen + 1. */
  restart(reason: string): void {
    this.feed?.restart(reason);
  }

  private parse(message: JsMsg): RequestEventMessage | null {
    try {
      return toRequestEvent(message);
    } catch (error) {
      this.logger.warn({ err: error, seq: message.seq }, "skipping malformed request event");
      return null;
    }
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reads every request event after `afterSeq` up to what the live feed has already passed,
   * in order, while `onEvent` answers true. Events beyond that point reach the subscriber
   * through the live feed. Refuses (resync) before the first event when more than
   * `maxEvents` request events or events older than `maxAgeMs` were missed, or when the
   * stream no longer holds them (expired, or the cursor is from a stream since recreated).
   */
  async replay(
    afterSeq: number,
    until: number,
    bounds: ReplayBounds,
    onEvent: (event: RequestEventMessage) => Promise<boolean>,
  ): Promise<ReplayOutcome> {
    if (!this.jsm) throw new Error("request event feed not started");
    const { state } = await this.jsm.streams.info(STREAM_NAME);
    if (afterSeq > state.last_seq) return { kind: "resync", why: "the cursor is not from the current event stream" };
    if (state.first_seq > afterSeq + 1) return { kind: "resync", why: "the events after the cursor have expired" };
    if (afterSeq >= until) return replayed;
    const consumer = await jetstream(this.nc).consumers.get(STREAM_NAME, {
      filter_subjects: REQUEST_EVENT_SUBJECTS,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSeq + 1,
    });
    const info = await consumer.info(true);
    if (info.num_pending === 0) return replayed;
    if (info.num_pending > bounds.maxEvents) return { kind: "resync", why: `more than ${bounds.maxEvents} events were missed` };
    const messages = await consumer.consume({ abort_on_missing_resource: true });
    // The library would resume a replay cut by a broker restart only after 15 to 45 s (see
    // onReconnect), holding the subscriber's live events back meanwhile: end it instead, and
    // the client resubscribes from its last cursor.
    let interrupted = false;
    const stopWatching = onReconnect(this.nc, () => {
      interrupted = true;
      messages.stop();
    }, this.logger);
    let reachedEnd = false;
    try {
      let first = true;
      for await (const message of messages) {
        if (first) {
          first = false;
          const ageMs = Date.now() - message.time.getTime();
          if (ageMs > bounds.maxAgeMs) return { kind: "resync", why: `the missed events go back more than ${Math.round(bounds.maxAgeMs / 1000)} s` };
        }
        if (message.seq > until) {
          reachedEnd = true;
          break;
        }
        const event = this.parse(message);
        if (event && !(await onEvent(event))) return { kind: "stopped" };
        if (message.seq >= until || message.info.pending === 0) {
          reachedEnd = true;
          break;
        }
      }
    } finally {
      stopWatching();
      messages.stop();
      consumer.delete().catch(() => undefined);
    }
    if (!reachedEnd) throw new Error(interrupted ? "the replay was interrupted by a NATS reconnect" : "the replay ended before its last event");
    return replayed;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.feed?.close();
  }
}
