import { performance } from "node:perf_hooks";
import type { Logger } from "@asky/runtime";

export type EventFeedState = "current" | "stale";

/** What the watch needs of the live feed (EventFeed). */
export interface WatchedFeed {
  readonly lastSeq: number;
  caughtUp(timeoutMs: number): Promise<boolean>;
  restart(reason: string): void;
}

export interface EventFeedWatchOptions {
  intervalMs: number;
  /** How long one "caught up" answer proves the feed current, from when it was asked. */
  maxAgeMs: number;
  /** Without proof and without a new event for this long, with JetStream answering, the feed is reopened. */
  stuckAfterMs: number;
}

export const eventFeedWatchDefaults: EventFeedWatchOptions = {
  intervalMs: 1_000,
  maxAgeMs: 3_000,
  stuckAfterMs: 5_000,
};

/**
 * Whether subscribers get events as they are published. Every `intervalMs` it asks
 * JetStream whether the live feed has handled every stored event of its subjects; a yes proves the
 * feed current as of when the question was sent (monotonic clock) for `maxAgeMs`. No answer
 * (NATS down or stalled), or a feed that has fallen behind, and the proof runs out: the
 * gateway reports the feed stale in /health and /metrics, and subscribers may be getting
 * events late. A feed that JetStream says is behind, or has no consumer, and that reads
 * nothing for `stuckAfterMs` is reopened from its last event: its consumer is wedged in a way
 * the library does not notice (while NATS is away the feed reopens itself on reconnect).
 */
export class EventFeedWatch {
  private provenAt = Number.NEGATIVE_INFINITY;
  private lastSeq: number;
  private progressAt: number;
  private restartedAt: number;
  private asking = false;
  private timer: NodeJS.Timeout | undefined;
  private reported: EventFeedState | null = null;

  constructor(
    private readonly feed: WatchedFeed,
    private readonly options: EventFeedWatchOptions,
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSeq = feed.lastSeq;
    this.progressAt = now();
    this.restartedAt = now();
  }

  start(): void {
    this.timer = setInterval(() => void this.ask(), this.options.intervalMs);
    this.timer.unref();
    void this.ask();
  }

  /** Logs each change, so that an outage and its end both show in the gateway's log. */
  state(): EventFeedState {
    const state: EventFeedState = this.now() - this.provenAt < this.options.maxAgeMs ? "current" : "stale";
    if (state !== this.reported) {
      // Stale at start-up, until the first answer, is expected; afterwards it is an incident.
      const level = state === "stale" && this.reported !== null ? "warn" : "info";
      this.logger[level](
        { eventFeed: state },
        state === "current"
          ? "subscription event feed proven current"
          : "subscription event feed not proven current; subscribers may get events late",
      );
      this.reported = state;
    }
    return state;
  }

  /** Never rejects: it runs from a timer. */
  private async ask(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    const askedAt = this.now();
    let answered = false;
    try {
      if (await this.feed.caughtUp(this.options.intervalMs)) this.provenAt = Math.max(this.provenAt, askedAt);
      answered = true;
    } catch (error) {
      // NATS is down or stalled: the proof runs out on its own.
      this.logger.debug({ err: error }, "could not check the subscription event feed");
    } finally {
      this.asking = false;
    }
    this.checkProgress(answered);
    this.state();
  }

  private checkProgress(answered: boolean): void {
    const now = this.now();
    if (this.feed.lastSeq !== this.lastSeq) {
      this.lastSeq = this.feed.lastSeq;
      this.progressAt = now;
    }
    const since = Math.max(this.provenAt, this.progressAt, this.restartedAt);
    if (!answered || now - since < this.options.stuckAfterMs) return;
    this.restartedAt = now;
    this.feed.restart(
      `behind the stream, or without a consumer, and reading nothing for ${Math.round((now - since) / 1000)} s`,
    );
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
