import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { startOrderedFeed, STREAM_NAME, type OrderedFeed } from "@asky/events";
import { type Logger } from "@asky/runtime";
import { FeedContracts } from "./feed-contracts.js";
import type { FeedEvent } from "./feed-event.js";
import { replayStream, type ReplayBounds, type ReplayOutcome } from "./stream-replay.js";
import type { FeedContract } from "./subscription-field.js";

export type EventListener = (event: FeedEvent) => void;

/**
 * One live feed of the subscription fields' events per gateway process, whatever the number
 * of fields and subscribers: an ordered (ephemeral) JetStream consumer from "now" on the
 * subject covering every registered contract, that outlives broker restarts
 * (startOrderedFeed: reopened from the last sequence seen + 1, so subscribers miss nothing
 * and get nothing twice). Every replica has its own, so a change made through any gateway
 * reaches subscribers of all of them.
 */
export class EventFeed {
  private readonly listeners = new Set<EventListener>();
  private readonly contracts: FeedContracts;
  private feed: OrderedFeed | null = null;
  private jsm: JetStreamManager | null = null;
  private last = 0;

  constructor(
    private readonly nc: NatsConnection,
    contracts: readonly FeedContract<unknown>[],
    private readonly logger: Logger,
  ) {
    this.contracts = new FeedContracts(contracts);
  }

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
      name: "gateway-subscription-events",
      filterSubjects: this.contracts.filterSubject,
      start: { kind: "sequence", sequence: this.last + 1 },
      handle: (message) => this.receive(message),
      logger: this.logger.child({ feed: "subscription-events" }),
    });
  }

  private receive(message: JsMsg): void {
    // Before the listeners run: a replay fixing its end meanwhile must include this event,
    // which a subscription group created after this dispatch would not get live.
    this.last = message.seq;
    const event = this.contracts.readOrSkip(message, this.logger);
    if (!event) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, seq: message.seq }, "subscription event listener failed");
      }
    }
  }

  /** Whether every stored event of the feed's subject has reached the listeners (see OrderedFeed.caughtUp). */
  async caughtUp(timeoutMs: number): Promise<boolean> {
    return this.feed === null ? false : this.feed.caughtUp(timeoutMs);
  }

  /** Reopens the live consumer from the last event seen + 1. */
  restart(reason: string): void {
    this.feed?.restart(reason);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replays the events of `contracts` (one field's) after `afterSeq`: see replayStream. */
  async replay(
    contracts: FeedContracts,
    window: { afterSeq: number; until: number },
    bounds: ReplayBounds,
    onEvent: (event: FeedEvent) => Promise<boolean>,
  ): Promise<ReplayOutcome> {
    if (!this.jsm) throw new Error("subscription event feed not started");
    return replayStream({ nc: this.nc, jsm: this.jsm, logger: this.logger }, contracts, window, bounds, onEvent);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.feed?.close();
  }
}
