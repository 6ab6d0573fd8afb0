/**
 * Capped exponential back-off with jitter, so that replicas retrying a broker that just came
 * back do not all knock at the same instant.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** Delay before the next retry; grows with every call until `reset()`. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base * (0.8 + Math.random() * 0.2));
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

/** A sleep that `wake()` (or closing) can cut short. */
export class Pause {
  private waiter: { resolve: () => void; timer: NodeJS.Timeout } | null = null;
  private pending = false;

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finish(), ms);
      this.waiter = { resolve, timer };
    });
  }

  /** Ends the current wait, or makes the next one return at once. */
  wake(): void {
    if (this.waiter) this.finish();
    else this.pending = true;
  }

  private finish(): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiter.resolve();
  }
}
