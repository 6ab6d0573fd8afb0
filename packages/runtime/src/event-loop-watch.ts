import type { Logger } from "./logger.js";

/**
 * Notices when this process's event loop stops turning, for the liveness route.
 *
 * A loop that is blocked outright cannot answer a probe at all, and the probe's timeout
 * catches that. A loop that blocks for seconds and then briefly recovers (a runaway
 * synchronous loop per request, a heap so close to its limit that garbage collection never
 * ends) answers a probe that happens to land in a gap; the watch remembers the last block
 * longer than the bound for a window, so the next probe fails as well.
 *
 * It is a timer that measures how late it runs. perf_hooks' monitorEventLoopDelay measures the
 * same thing in C++, but a sliding window needs its histogram reset, and the first interval
 * after reset() is never recorded: a block that starts right after a reset goes unseen. A
 * timer every 100 ms costs next to nothing and is exact enough for a bound in seconds.
 */
export interface EventLoopWatchOptions {
  /** A block of the loop longer than this makes the process stalled; 0 turns the watch off. */
  readonly maxDelayMs: number;
  /** How long a block counts after it ended. */
  readonly windowMs: number;
  /** How often the timer runs; a block shorter than this may show as up to this much shorter. */
  readonly sampleMs?: number;
  readonly logger?: Logger;
}

export interface EventLoopReading {
  /** The loop was blocked longer than the bound within the window, or is late right now. */
  readonly stalled: boolean;
  /** When stalled: how long that block lasted, in milliseconds. */
  readonly blockedMs: number;
}

const defaultSampleMs = 100;

export class EventLoopWatch {
  private readonly sampleMs: number;
  private readonly timer: NodeJS.Timeout | null = null;
  private lastTick = performance.now();
  /** The most recent block longer than the bound: when it ended and how long it was. */
  private lastStall: { endedAt: number; blockedMs: number } | null = null;

  constructor(private readonly options: EventLoopWatchOptions) {
    this.sampleMs = options.sampleMs ?? defaultSampleMs;
    if (options.maxDelayMs <= 0) return;
    // unref: the watch never keeps a process alive that has nothing else to do.
    this.timer = setInterval(() => this.tick(), this.sampleMs).unref();
  }

  /** Whether the loop stalled within the window; cheap enough to call on every probe. */
  reading(now: number = performance.now()): EventLoopReading {
    if (this.timer === null) return { stalled: false, blockedMs: 0 };
    // A probe answered right after a block may run before the timer's late tick does.
    const late = now - this.lastTick - this.sampleMs;
    if (late > this.options.maxDelayMs) return { stalled: true, blockedMs: late };
    const stall = this.lastStall;
    if (stall && now - stall.endedAt <= this.options.windowMs) return { stalled: true, blockedMs: stall.blockedMs };
    return { stalled: false, blockedMs: 0 };
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    const late = now - this.lastTick - this.sampleMs;
    this.lastTick = now;
    if (late <= this.options.maxDelayMs) return;
    this.lastStall = { endedAt: now, blockedMs: late };
    this.options.logger?.warn(
      { blockedMs: Math.round(late), maxDelayMs: this.options.maxDelayMs, windowMs: this.options.windowMs },
      "event loop was blocked longer than its liveness bound; the liveness route answers 503 for the window",
    );
  }
}
