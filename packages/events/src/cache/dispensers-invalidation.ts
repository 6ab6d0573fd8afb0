import type { NatsConnection } from "@nats-io/transport-node";
import { DISPENSERS_INVALIDATION_SUBJECT, parseDispensersInvalidation, type DispensersCacheKey } from "@asky/contracts";
import type { Logger } from "@asky/runtime";

// The hints' subject and body are contracts (@asky/contracts); this is the listener every cache uses.

export interface InvalidationHandlers {
  /** Forget these keys. */
  invalidate(keys: readonly DispensersCacheKey[], origin: string): void;
  /** Hints may have been missed (unreadable hint, NATS reconnect): trust nothing cached. */
  distrust(): void;
}

/** Listens for dispensers cache hints on `nc` until the returned function is called. */
export function watchDispensersInvalidations(
  nc: NatsConnection,
  handlers: InvalidationHandlers,
  logger: Logger,
): () => void {
  const subscription = nc.subscribe(DISPENSERS_INVALIDATION_SUBJECT, {
    callback: (error, message) => {
      if (error) return logger.warn({ err: error }, "cache invalidation subscription error");
      try {
        const body = parseDispensersInvalidation(message.json());
        handlers.invalidate(body.keys, body.origin);
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
