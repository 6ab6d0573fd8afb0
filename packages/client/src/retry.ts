/**
 * Retries with exponential back-off and full jitter, for transport failures only: a GraphQL
 * answer (even an error) is final, because the server has decided. Jitter spreads the
 * retries of a ward's devices coming back from the same Wi-Fi outage.
 */
import { AskyClientError } from "./errors.js";

export interface RetryPolicy {
  /** Attempts in all, the first included (1: never retry). */
  attempts: number;
  /** The cap of the first retry's delay; each further retry doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 300, maxDelayMs: 5_000 };

/** The wait before retry number `retry` (0 for the first retry): uniform in [0, min(max, base·2^retry)]. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

/**
 * The request may not have reached the server, or its answer was lost: fetch rejected
 * (DNS, refused, reset) or a proxy answered 502/503/504. Safe to retry only for operations
 * that are idempotent, which is why createRequest carries an idempotency key.
 */
export class TransientFailure extends Error {
  override readonly name = "TransientFailure";
  constructor(
    message: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const transientStatuses: ReadonlySet<number> = new Set([502, 503, 504]);

export function abortError(signal: AbortSignal): AskyClientError {
  return new AskyClientError("ABORTED", "The operation was aborted", { cause: signal.reason });
}

/** Waits `ms`, or rejects with ABORTED as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetryOptions {
  policy: RetryPolicy;
  signal?: AbortSignal;
  random?: () => number;
  /** Told of each failure that will be retried (the app may show "reconnecting"). */
  onRetry?: (failure: TransientFailure, retry: number, delayMs: number) => void;
}

/**
 * Runs `attempt` until it settles with anything but a TransientFailure, or the attempts run
 * out (NETWORK_ERROR, the last failure as its cause), or `signal` aborts (ABORTED).
 */
export async function withRetries<T>(attempt: (index: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal } = options;
  const attempts = Math.max(1, policy.attempts);
  for (let index = 0; ; index++) {
    if (signal?.aborted) throw abortError(signal);
    try {
      return await attempt(index);
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      if (signal?.aborted) throw abortError(signal);
      if (index + 1 >= attempts) {
        throw new AskyClientError("NETWORK_ERROR", `${error.message} (after ${attempts} attempts)`, {
          cause: error,
          status: error.status,
        });
      }
      const delay = backoffDelay(index, policy, options.random);
      options.onRetry?.(error, index, delay);
      await sleep(delay, signal);
    }
  }
}
