import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { STREAM_NAME, type Logger } from "@asky/common";
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
 * subscribers: an ordered (ephemeral) JetStream consumer from "now". Every replica has
 * its own, so a change made through any gateway reaches subscribers of all of them.
 */
export class RequestEventFeed {
  private readonly listeners = new Set<EventListener>();
  private messages: ConsumerMessages | null = null;
  private jsm: JetStreamManager | null = null;
  private closed = false;
  /** Highest stream sequence seen live; a resuming subscriber replays up to here. */
  lastSeq = 0;

  constructor(private readonly nc: NatsConnection, private readonly logger: Logger) {}

  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    this.jsm = jsm;
    this.lastSeq = (await jsm.streams.info(STREAM_NAME)).state.last_seq;
    const consumer = await jetstream(this.nc).consumers.get(STREAM_NAME, {
      filter_subjects: REQUEST_EVENT_SUBJECTS,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.lastSeq + 1,
    });
    this.messages = await consumer.consume();
    void this.pump(this.messages);
  }

  private async pump(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      this.lastSeq = Math.max(this.lastSeq, message.seq);
      const event = this.parse(message);
      if (!event) continue;
      for (const listener of this.listeners) listener(event);
    }
    if (!this.closed) this.logger.error("request event feed ended unexpectedly");
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
    const messages = await consumer.consume();
    try {
      let first = true;
      for await (const message of messages) {
        if (first) {
          first = false;
          const ageMs = Date.now() - message.time.getTime();
          if (ageMs > bounds.maxAgeMs) return { kind: "resync", why: `the missed events go back more than ${Math.round(bounds.maxAgeMs / 1000)} s` };
        }
        if (message.seq > until) break;
        const event = this.parse(message);
        if (event && !(await onEvent(event))) return { kind: "stopped" };
        if (message.seq >= until || message.info.pending === 0) break;
      }
    } finally {
      messages.stop();
    }
    return replayed;
  }

  close(): void {
    this.closed = true;
    this.messages?.stop();
    this.listeners.clear();
  }
}
