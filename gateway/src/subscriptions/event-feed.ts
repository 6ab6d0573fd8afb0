import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import { STREAM_NAME, type Logger } from "@asky/common";
import { REQUEST_EVENT_SUBJECTS, toRequestEvent, type RequestEventMessage } from "./request-event.js";

export type EventListener = (event: RequestEventMessage) => void;

/**
 * One live feed of request events per gateway process, whatever the number of
 * subscribers: an ordered (ephemeral) JetStream consumer from "now". Every replica has
 * its own, so a change made through any gateway reaches subscribers of all of them.
 */
export class RequestEventFeed {
  private readonly listeners = new Set<EventListener>();
  private messages: ConsumerMessages | null = null;
  private closed = false;
  /** Highest stream sequence seen live; a resuming subscriber replays up to here. */
  lastSeq = 0;

  constructor(private readonly nc: NatsConnection, private readonly logger: Logger) {}

  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
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
   * in order. Events beyond that point reach the subscriber through the live feed.
   */
  async replay(afterSeq: number, until: number, onEvent: (event: RequestEventMessage) => Promise<void>): Promise<void> {
    if (afterSeq >= until) return;
    const consumer = await jetstream(this.nc).consumers.get(STREAM_NAME, {
      filter_subjects: REQUEST_EVENT_SUBJECTS,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSeq + 1,
    });
    const info = await consumer.info(true);
    if (info.num_pending === 0) return;
    const messages = await consumer.consume();
    try {
      for await (const message of messages) {
        if (message.seq > until) break;
        const event = this.parse(message);
        if (event) await onEvent(event);
        if (message.seq >= until || message.info.pending === 0) break;
      }
    } finally {
      messages.stop();
    }
  }

  close(): void {
    this.closed = true;
    this.messages?.stop();
    this.listeners.clear();
  }
}
