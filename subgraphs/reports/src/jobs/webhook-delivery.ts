import type { Closeable, Logger } from "@asky/runtime";
import type { ReportsDb } from "../data/db.js";
import { claimDueDeliveries, recordAttempt, type ClaimedDelivery } from "../data/webhook-deliveries.js";
import type { WebhookAllowance } from "../webhooks/allowance.js";
import { backOffMs } from "../webhooks/back-off.js";
import { recordAttemptMetric, startWebhookMetrics } from "../webhooks/metrics.js";
import { SecretBoxError, openSecret } from "../webhooks/secret-box.js";
import { sealPlaintextSecrets } from "../webhooks/secret-conversion.js";
import type { SecretKeyring } from "../webhooks/secret-keys.js";
import { sendWebhook, type AttemptOutcome } from "../webhooks/send-webhook.js";

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
 * How often plaintext secrets are looked for again after the pass at start: a replica of an
 * earlier version, still running during a rolling upgrade, may write one; until sealed, its
 * deliveries fail closed and are retried.
 */
const SEAL_EVERY_MS = 60_000;

/**
 * Sends due webhook deliveries, in every replica: each claims its rows (see
 * claimDueDeliveries), so no attempt goes out twice while its lease holds. The lease outlasts
 * the attempt's timeout, so a slow receiver is not sent a second copy in parallel. Secrets
 * stored in plain text by an earlier version are sealed before the first claim, and again
 * every minute.
 */
export function startWebhookDelivery(
  db: ReportsDb,
  policy: DeliveryPolicy,
  keys: SecretKeyring,
  logger: Logger,
): Closeable {
  const log = logger.child({ component: "webhook-delivery" });
  startWebhookMetrics();
  const idleMs = Math.max(MIN_IDLE_MS, Math.min(MAX_IDLE_MS, policy.webhookRetryBaseMs));
  const leaseMs = policy.webhookTimeoutMs * 2 + 5_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  /**
   * A secret that does not open (altered, copied from another row, or under a key no longer
   * configured) fails closed: nothing is sent, and the attempt is logged and recorded as
   * failed, so it retries (a key put back into WEBHOOK_SECRET_KEYS) and ends FAILED.
   */
  const send = async (claim: ClaimedDelivery): Promise<AttemptOutcome> => {
    let secret: string;
    try {
      secret = openSecret(keys, claim.webhookId, claim.secret);
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      log.error({ deliveryId: claim.id, webhookId: claim.webhookId, error: error.message }, "webhook not sent");
      return { ok: false, statusCode: null, error: `not sent: ${error.message}`, durationMs: 0 };
    }
    return sendWebhook(
      { url: claim.url, secret, eventId: claim.eventId, eventType: claim.eventType, body: claim.body },
      { allowance: policy.webhookAllowedHosts, timeoutMs: policy.webhookTimeoutMs },
    );
  };

  const attempt = async (claim: ClaimedDelivery) => {
    const outcome = await send(claim);
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

  let sealDueAt = 0;
  const pass = async (): Promise<number> => {
    // Before the first claim: rows an earlier version stored in plain text are sealed first.
    if (Date.now() >= sealDueAt) {
      await sealPlaintextSecrets(db, keys, log);
      sealDueAt = Date.now() + SEAL_EVERY_MS;
    }
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
