import { performance } from "node:perf_hooks";
import type { NatsConnection } from "@nats-io/transport-node";
import { assertNever, type Logger } from "@asky/runtime";
import { parseRevocationWatermark, REVOCATION_WATERMARK_SUBJECT } from "../revocation-watermark.js";

/** Where the revocation feed has read up to. */
export interface FeedPosition {
  readonly lastSequence: number | null;
  readonly streamCreated: string | null;
  restart(reason: string): void;
}

export interface FeedWatermarkOptions {
  intervalMs: number;
  /** How long one answer proves the feed complete, from when the question was sent. */
  maxAgeMs: number;
}

/** An answer the feed has not yet caught up with. */
interface Awaited {
  readonly sequence: number;
  readonly askedAt: number;
}

/** A feed this far behind an answer, with NATS answering, is stuck rather than slow. */
const stuckAfterMs = 5_000;

/**
 * Proves the revocation feed complete, or fails to. Every `intervalMs` it asks the users
 * service where the last revocation sits in the stream (REVOCATION_WATERMARK_SUBJECT); once
 * the feed has read that far, every revocation committed before the question is known here, so
 * the feed counts as current until `maxAgeMs` after the question was *sent* (on this process's
 * monotonic clock: an answer delayed by a stalled broker proves nothing newer). No answer, a
 * "pending" answer, or a feed that has not caught up, and the proof simply runs out.
 *
 * Every gateway and subgraph replica asks on the same wall-clock beat (multiples of
 * `intervalMs`), so the questions reach a users replica together and share one check there
 * (answerRevocationWatermarks): the cost of the proof stays per users replica, not per asker.
 */
export class FeedWatermark {
  private provenAt = Number.NEGATIVE_INFINITY;
  private startedAt = Number.NEGATIVE_INFINITY;
  private awaited: Awaited[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastRestart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly nc: NatsConnection,
    private readonly feed: FeedPosition,
    private readonly options: FeedWatermarkOptions,
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.startedAt = this.now();
    this.schedule();
    void this.ask();
  }

  private schedule(): void {
    // The wall clock only picks the beat; proofs are dated on the monotonic clock. A beat
    // too close (a timer that fired a little early) is skipped rather than asked twice.
    const interval = this.options.intervalMs;
    const untilBeat = interval - (Date.now() % interval);
    const delay = untilBeat < interval / 4 ? untilBeat + interval : untilBeat;
    this.timer = setTimeout(() => {
      this.schedule();
      void this.ask();
    }, delay);
    this.timer.unref();
  }

  /** The common path of every signed-in request: a few comparisons, no I/O. */
  isCurrent(): boolean {
    if (this.awaited.length > 0) this.settle();
    return this.now() - this.provenAt < this.options.maxAgeMs;
  }

  /**
   * Milliseconds since the feed was last proven complete, dated like the proof itself (when
   * the question was sent); counted from start() until a first proof. For a freshness gauge:
   * the feed is current while this is under `maxAgeMs`.
   */
  provenAgeMs(): number {
    if (this.awaited.length > 0) this.settle();
    return this.now() - Math.max(this.provenAt, this.startedAt);
  }

  private async ask(): Promise<void> {
    const askedAt = this.now();
    try {
      const reply = await this.nc.request(REVOCATION_WATERMARK_SUBJECT, undefined, { timeout: this.options.maxAgeMs });
      const answer = parseRevocationWatermark(reply.json());
      if (answer === null) return this.logger.warn("unreadable revocation watermark");
      switch (answer.kind) {
        case "pending":
          return;
        case "complete":
          if (this.feed.streamCreated !== null && answer.streamCreated !== this.feed.streamCreated) {
            this.restartFeed("the stream was recreated");
            return;
          }
          this.awaited.push({ sequence: answer.sequence, askedAt });
          this.settle();
          return;
        default:
          return assertNever(answer, "watermark");
      }
    } catch (error) {
      // No users replica answered, or NATS is down or stalled: the proof runs out on its own.
      this.logger.debug({ err: error }, "no revocation watermark");
    }
  }

  /** Promotes the answers the feed has caught up with; restarts a feed left behind. */
  private settle(): void {
    const read = this.feed.lastSequence;
    const now = this.now();
    const waiting: Awaited[] = [];
    for (const entry of this.awaited) {
      if (read !== null && read >= entry.sequence) this.provenAt = Math.max(this.provenAt, entry.askedAt);
      else if (now - entry.askedAt < stuckAfterMs) waiting.push(entry);
      else this.restartFeed(`behind the stream: read ${read ?? "nothing"}, last revocation at ${entry.sequence}`);
    }
    this.awaited = waiting;
  }

  private restartFeed(reason: string): void {
    const now = this.now();
    if (now - this.lastRestart < stuckAfterMs) return;
    this.lastRestart = now;
    this.feed.restart(reason);
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
