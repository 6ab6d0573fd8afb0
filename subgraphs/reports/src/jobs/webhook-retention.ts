import type { Closeable, Logger } from "@asky/runtime";
import { startHourlyPurge } from "@asky/service";
import type { ReportsDb } from "../data/db.js";
import { purgeFinishedDeliveries } from "../data/webhook-deliveries.js";

/** Days a finished delivery (and its attempts) stays queryable in webhookDeliveries. */
export const DELIVERY_RETENTION_DAYS = 30;

/** Every delivery holds its event's body; without a purge the log grows for as long as the hospital runs. */
export function startWebhookRetention(db: ReportsDb, logger: Logger): Closeable {
  return startHourlyPurge(
    {
      name: "webhook-retention",
      purge: () => purgeFinishedDeliveries(db, DELIVERY_RETENTION_DAYS),
      purged: "purged finished webhook deliveries",
    },
    logger,
  );
}
