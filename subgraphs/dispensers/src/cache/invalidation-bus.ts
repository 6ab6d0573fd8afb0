import { randomUUID } from "node:crypto";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Logger } from "@asky/common";
import type { CacheKey, ReadCache } from "./read-cache.js";

/**
 * Core NATS (fire-and-forget), deliberately outside `asky.>`: the ASKY JetStream stream
 * captures every subject under `asky.`, and cache hints are worthless once delivered.
 */
export const CACHE_INVALIDATION_SUBJECT = "cache.asky.dispensers.invalidate";

interface InvalidationMessage {
  origin: string;
  keys: readonly CacheKey[];
}

export interface InvalidationBus {
  /** Forgets `keys` here at once and tells the other replicas; call after commit. */
  invalidate(keys: readonly CacheKey[]): void;
  close(): Promise<void>;
}

function isCacheKey(value: unknown): value is CacheKey {
  const key = value as Partial<Record<string, unknown>> | null;
  if (typeof key !== "object" || key === null) return false;
  if (key.kind === "wards") return true;
  return (key.kind === "dispenser" || key.kind === "catalogItem") && typeof key.id === "string";
}

export function startInvalidationBus(nc: NatsConnection, cache: ReadCache, logger: Logger): InvalidationBus {
  const origin = randomUUID();
  const subscription: Subscription = nc.subscribe(CACHE_INVALIDATION_SUBJECT, {
    callback: (error, message) => {
      if (error) return logger.warn({ err: error }, "cache invalidation subscription error");
      try {
        const body = message.json<InvalidationMessage>();
        if (body.origin === origin) return;
        cache.invalidate(Array.isArray(body.keys) ? body.keys.filter(isCacheKey) : []);
      } catch {
        // Unreadable hint: drop everything rather than risk serving a stale row.
        cache.clear();
      }
    },
  });
  void (async () => {
    for await (const status of nc.status()) {
      // Hints sent while we were away are lost: distrust the whole cache.
      if (status.type === "disconnect" || status.type === "reconnect") cache.clear();
    }
  })();
  return {
    invalidate(keys) {
      if (keys.length === 0) return;
      cache.invalidate(keys);
      try {
        nc.publish(CACHE_INVALIDATION_SUBJECT, JSON.stringify({ origin, keys } satisfies InvalidationMessage));
      } catch (error) {
        // The TTL bounds staleness on the other replicas; the write itself succeeded.
        logger.warn({ err: error }, "could not publish a cache invalidation");
      }
    },
    close: async () => {
      subscription.unsubscribe();
    },
  };
}
