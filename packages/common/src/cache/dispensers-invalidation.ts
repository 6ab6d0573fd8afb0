import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "../logger.js";

/**
 * Hints that cabinets, catalog items or wards changed, sent by the dispensers service after
 * each commit. Every process that caches those rows listens: the dispensers replicas and the
 * requests service, which checks cabinets and prices on every new request. Core NATS
 * (fire-and-forget), deliberately outside `asky.>`: the ASKY JetStream stream captures every
 * subject under `asky.`, and cache hints are worthless once delivered. The TTL of each cache
 * bounds staleness when a hint is lost.
 */
export const DISPENSERS_INVALIDATION_SUBJECT = "cache.asky.dispensers.invalidate";

/** What a write invalidates; also the body of the invalidation message. */
export type DispensersCacheKey =
  | { readonly kind: "dispenser"; readonly id: string }
  | { readonly kind: "catalogItem"; readonly id: string }
  | { readonly kind: "wards" };

export interface DispensersInvalidation {
  /** The sending process, so that it can skip its own hints. */
  readonly origin: string;
  readonly keys: readonly DispensersCacheKey[];
}

function isCacheKey(value: unknown): value is DispensersCacheKey {
  const key = value as Partial<Record<string, unknown>> | null;
  if (typeof key !== "object" || key === null) return false;
  if (key.kind === "wards") return true;
  return (key.kind === "dispenser" || key.kind === "catalogItem") && typeof key.id === "string";
}

export interface InvalidationHandlers {
  /** Forget these keys. */
  invalidate(keys: readonly DispensersCacheKey[], origin: string): void;
  /** Hints may have been missed (unreadable hint, NATS reconnect): trust nothing cached. */
  distrust(): void;
}

/** Listens for dispensers cache hints on `nc` until the returned function is called. */
export function watchDispensersInvalidations(nc: NatsConnection, handlers: InvalidationHandlers, logger: Logger): () => void {
  const subscription = nc.subscribe(DISPENSERS_INVALIDATION_SUBJECT, {
    callback: (error, message) => {
      if (error) return logger.warn({ err: error }, "cache invalidation subscription error");
      try {
        const body = message.json<DispensersInvalidation>();
        handlers.invalidate(Array.isArray(body.keys) ? body.keys.filter(isCacheKey) : [], String(body.origin));
      } catch {
        handlers.distrust();
      }
    },
  });
  let stopped = false;
  void (async () => {
    for await (const status of nc.status()) {
      if (stopped) break;
      if (status.type === "disconnect" || status.type === "reconnect") handlers.distrust();
    }
  })();
  return () => {
    stopped = true;
    subscription.unsubscribe();
  };
}
