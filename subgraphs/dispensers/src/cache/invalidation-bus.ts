import { randomUUID } from "node:crypto";
import { DISPENSERS_INVALIDATION_SUBJECT, type DispensersCacheKey, type DispensersInvalidation } from "@asky/contracts";
import { watchDispensersInvalidations, type NatsConnection } from "@asky/events";
import { type Logger } from "@asky/runtime";
import type { ReadCache } from "./read-cache.js";

export interface InvalidationBus {
  /** Forgets `keys` here at once and tells the other replicas (and services); call after commit. */
  invalidate(keys: readonly DispensersCacheKey[]): void;
  close(): Promise<void>;
}

export function startInvalidationBus(nc: NatsConnection, cache: ReadCache, logger: Logger): InvalidationBus {
  const origin = randomUUID();
  const stop = watchDispensersInvalidations(
    nc,
    {
      invalidate: (keys, from) => {
        if (from !== origin) cache.invalidate(keys);
      },
      // Unreadable hint or hints missed while away: drop everything rather than serve a stale row.
      distrust: () => cache.clear(),
    },
    logger,
  );
  return {
    invalidate(keys) {
      if (keys.length === 0) return;
      cache.invalidate(keys);
      try {
        nc.publish(DISPENSERS_INVALIDATION_SUBJECT, JSON.stringify({ origin, keys } satisfies DispensersInvalidation));
      } catch (error) {
        // The TTL bounds staleness on the other replicas; the write itself succeeded.
        logger.warn({ err: error }, "could not publish a cache invalidation");
      }
    },
    close: async () => stop(),
  };
}
