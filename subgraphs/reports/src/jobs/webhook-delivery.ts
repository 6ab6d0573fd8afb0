import type { Closeable, Logger } from "@asky/runtime";
import type { ReportsDb } from "../data/db.js";
import { claimDueDeliveries, recordAttempt, type ClaimedDelivery } from "../data/webhook-deliveries.js";
import type { WebhookAllowance } from "../webhooks/allowance.js";
import { backOffMs } from "../webhooks/back-off.js";
import { recordAttemptMetric, startWebhookMetrics } from "../webhooks/metrics.js";
import { sendWebhook } from "../webhooks/send-webhook.js";

export interface DeliveryPolicy {
  readonly webhookAllowedHosts: WebhookAllowance;
  readonly webhookMaxAttempts: number;
  readonly webhookRetryBaseMs: number;
  readonly webhookTimeoutMs: number;
}

/** Deliveries one replica sends at once (each holds a socket for up to the timeout). */
const BATCH = 10;
/**
 * How often an idle replica looks for due deliveries: as often as the retry base asks, within
 * these bounds (a cheap indexed query, but every replica runs it all day long).
 */
const MIN_IDLE_MS = 250;
const MAX_IDLE_MS = 1_000;

/**
 * Sends due webhook deliveries, in every replica: each claims its rows (see
 * claimDueDeliveries), so no attempt goes out twice while its lease holds. The lease outlasts
 * the attempt's timeout, so a slow receiver is not sent a second copy in parallel.
 */
export function startWebhookDelivery(db: ReportsDb, policy: DeliveryPolicy, logger: Logger): Closeable {
  const log = logger.child({ component: "webhook-delivery" });
  startWebhookMetrics();
  const idleMs = Math.max(MIN_IDLE_MS, Math.min(MAX_IDLE_MS, policy.webhookRetryBaseMs));
  const leaseMs = policy.webhookTimeoutMs * 2 + 5_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const attempt = async (claim: ClaimedDelivery) => {
    const outcome = await sendWebhook(
      { url: claim.url, secret: claim.secret, eventId: claim.eventId, eventType: claim.eventType, body: claim.body },
      { allowance: policy.webhookAllowedHosts, timeoutMs: policy.webhookTimeoutMs },
    );
    const retryAt = new Date(Date.now() + backOffMs(claim.attempt, policy.webhookRetryBaseMs));
    const recorded = await recordAttempt(db, claim, outcome, policy.webhookMaxAttempts, retryAt);
    if (!recorded) return;
    const result = outcome.ok ? "delivered" : claim.attempt >= policy.webhookMaxAttempts ? "failed" : "retry";
    recordAttemptMetric(result, outcome.durationMs);
    const facts = {
      deliveryId: claim.id,
      eventId: claim.eventId,
      attempt: claim.attempt,
      statusCode: outcome.statusCode,
    };
    if (result === "failed") log.warn({ ...facts, error: outcome.error }, "webhook delivery failed for good");
    else if (result === "retry") log.info({ ...facts, error: outcome.error }, "webhook attempt failed; will retry");
  };

  const pass = async (): Promise<number> => {
    const claims = await claimDueDeliveries(db, BATCH, leaseMs);
    await Promise.all(claims.map(attempt));
    return claims.length;
  };

  const loop = () => {
    if (stopped) return;
    running = pass().then(
      // A full batch: more may be due, look again at once.
      (count) => schedule(count === BATCH ? 0 : idleMs),
      (error: unknown) => {
        log.warn({ err: error }, "could not send webhook deliveries; will retry");
        schedule(idleMs * 5);
      },
    );
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(loop, ms);
  };
  schedule(0);

  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
