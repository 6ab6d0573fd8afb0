/**
 * Token buckets by key (a client address, a user id). A bucket holds `burst` tokens and
 * refills at `perSecond`; both are divided by the share this replica takes of the
 * allowance, so that N gateway replicas together grant what one would.
 */
export interface RateLimit {
  /** Requests allowed back to back after a quiet period. */
  readonly burst: number;
  /** Sustained requests per second. */
  readonly perSecond: number;
}

export type Taken = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    /** This replica's share of the allowance, 1 when it is alone. */
    private readonly share: () => number,
    /** Keys kept at most; an attacker with many addresses cannot grow memory past it. */
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `amount` tokens (1 request, or an operation's cost) from the key's bucket. */
  take(key: string, amount = 1): Taken {
    const share = this.share();
    const burst = Math.max(1, this.limit.burst * share);
    const perSecond = this.limit.perSecond * share;
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond) : burst;
    if (tokens < amount) {
      if (bucket) {
        bucket.tokens = tokens;
        bucket.at = now;
      }
      // Never sooner than the bucket can hold it: an amount above the burst waits for a full bucket.
      const wanted = Math.min(amount, burst);
      return { ok: false, retryAfterSeconds: perSecond > 0 ? Math.max(wanted - tokens, 0.001) / perSecond : 60 };
    }
    // Re-inserted so the map's order is least recently used first, for eviction.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens - amount, at: now });
    if (this.buckets.size > this.maxKeys) this.evict();
    return { ok: true };
  }

  /**
   * Drops the least recently used keys. A dropped bucket starts full again, which only
   * favours the client that was quiet longest, never the one sending now.
   */
  private evict(): void {
    const excess = this.buckets.size - Math.floor(this.maxKeys * 0.9);
    let dropped = 0;
    for (const key of this.buckets.keys()) {
      if (dropped >= excess) break;
      this.buckets.delete(key);
      dropped += 1;
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
