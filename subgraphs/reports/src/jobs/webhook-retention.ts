import type { Closeable, Logger } from "@asky/runtime";
import type { ReportsDb } from "../data/db.js";
import { purgeFinishedDeliveries } from "../data/webhook-deliveries.js";

/** Days a finished delivery (and its attempts) stays queryable in webhookDeliveries. */
export const DELIVERY_RETENTION_DAYS = 30;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Every delivery holds its event's body; without a purge the log grows for as long as the
 * hospital runs. Each replica purges a minute after start and then hourly: the delete is
 * idempotent, so replicas racing each other only repeat work.
 */
export function startWebhookRetention(db: ReportsDb, logger: Logger): Closeable {
  const log = logger.child({ component: "webhook-retention" });
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = purgeFinishedDeliveries(db, DELIVERY_RETENTION_DAYS).then(
      (deleted) => {
        if (deleted > 0) log.info({ deleted }, "purged finished webhook deliveries");
      },
      (error: unknown) => log.warn({ err: error }, "could not purge webhook deliveries; will retry"),
    );
  };
  const first = setTimeout(pass, 60_000);
  const hourly = setInterval(pass, HOUR_MS);
  first.unref();
  hourly.unref();
  return {
    async close() {
      clearTimeout(first);
      clearInterval(hourly);
      await running;
    },
  };
}
