import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { timestampKey } from "@asky/runtime";
import * as tables from "@asky/db/schema/reports";
import type { WebhookDeliveryStatus, WebhookEventType } from "../generated/resolvers-types.js";
import type { ReportsDb, ReportsTx } from "./db.js";

const { webhooks, webhookDeliveries, webhookAttempts } = tables;

/** One delivery per (webhook, event): a redelivered event inserts nothing. */
export async function enqueueDeliveries(
  tx: ReportsTx,
  webhookIds: readonly string[],
  event: { id: string; type: WebhookEventType; body: string },
): Promise<number> {
  if (webhookIds.length === 0) return 0;
  const rows = await tx
    .insert(webhookDeliveries)
    .values(webhookIds.map((webhookId) => ({ webhookId, eventId: event.id, eventType: event.type, body: event.body })))
    .onConflictDoNothing({ target: [webhookDeliveries.webhookId, webhookDeliveries.eventId] })
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}

export interface ClaimedDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly body: string;
  /** The number of the attempt this claim is for. */
  readonly attempt: number;
  readonly url: string;
  /** As stored: encrypted (see webhooks/secret-box). */
  readonly secret: string;
}

/**
 * Takes up to `limit` due deliveries of active webhooks for `leaseMs`: rows another replica
 * is claiming right now are skipped (SKIP LOCKED), and a claimed row stays out of reach until
 * its lease ends, so one attempt is sent by one replica. A replica that dies mid-attempt
 * leaves the lease to expire and the attempt is made again: at least once.
 */
export async function claimDueDeliveries(db: ReportsDb, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const result = await db.execute<{
    id: string;
    webhook_id: string;
    event_id: string;
    event_type: string;
    body: string;
    attempt: number;
    url: string;
    secret: string;
  }>(sql`
    WITH due AS (
      SELECT d.id FROM reports.webhook_deliveries d
      JOIN reports.webhooks w ON w.id = d.webhook_id AND w.active
      WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
        AND (d.leased_until IS NULL OR d.leased_until < now())
      ORDER BY d.next_attempt_at
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE reports.webhook_deliveries d
    SET leased_until = now() + make_interval(secs => ${leaseMs / 1000})
    FROM due, reports.webhooks w
    WHERE d.id = due.id AND w.id = d.webhook_id
    RETURNING d.id, d.webhook_id, d.event_id, d.event_type, d.body, d.attempts + 1 AS attempt, w.url, w.secret`);
  return result.rows.map((row) => ({
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type,
    body: row.body,
    attempt: Number(row.attempt),
    url: row.url,
    secret: row.secret,
  }));
}

export interface AttemptRecord {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/**
 * Logs the attempt and moves the delivery on: DELIVERED, FAILED after the last attempt, or
 * PENDING again at `retryAt`. Only while the claim still holds (no other replica recorded
 * this attempt number after a lease ran out): false when it did not.
 */
export async function recordAttempt(
  db: ReportsDb,
  claim: ClaimedDelivery,
  outcome: AttemptRecord,
  maxAttempts: number,
  retryAt: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const status: WebhookDeliveryStatus = outcome.ok
      ? "DELIVERED"
      : claim.attempt >= maxAttempts
        ? "FAILED"
        : "PENDING";
    const moved = await tx
      .update(webhookDeliveries)
      .set({
        attempts: claim.attempt,
        status,
        leasedUntil: null,
        nextAttemptAt: status === "PENDING" ? retryAt : sql`${webhookDeliveries.nextAttemptAt}`,
        deliveredAt: status === "DELIVERED" ? sql`now()` : null,
      })
      .where(
        and(
          eq(webhookDeliveries.id, claim.id),
          eq(webhookDeliveries.attempts, claim.attempt - 1),
          eq(webhookDeliveries.status, "PENDING"),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    if (moved.length === 0) return false;
    await tx.insert(webhookAttempts).values({
      deliveryId: claim.id,
      attempt: claim.attempt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
    });
    return true;
  });
}

export async function webhookExists(db: ReportsDb, id: string): Promise<boolean> {
  const rows = await db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, id));
  return rows.length > 0;
}

export interface DeliveryPageQuery {
  readonly webhookId: string;
  readonly status: WebhookDeliveryStatus | null;
  readonly size: number;
  readonly after: { sort: string; id: string } | null;
}

/** A page of deliveries, newest first, with each delivery's attempts (two statements). */
export async function deliveryPage(db: ReportsDb, query: DeliveryPageQuery) {
  const scope = and(
    eq(webhookDeliveries.webhookId, query.webhookId),
    query.status ? eq(webhookDeliveries.status, query.status) : undefined,
  );
  const after = query.after
    ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${query.after.sort}::timestamptz, ${query.after.id}::uuid)`
    : undefined;
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      sortKey: timestampKey(webhookDeliveries.createdAt),
      eventId: webhookDeliveries.eventId,
      eventType: sql<WebhookEventType>`${webhookDeliveries.eventType}`,
      status: sql<WebhookDeliveryStatus>`${webhookDeliveries.status}`,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(and(scope, after))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.size + 1);
  const [count] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(scope);
  const ids = rows.map((row) => row.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(webhookAttempts)
          .where(inArray(webhookAttempts.deliveryId, ids))
          .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt));
  const nodes = rows.map((row) => ({
    ...row,
    nextAttemptAt: row.status === "PENDING" ? row.nextAttemptAt : null,
    attempts: attempts
      .filter((attempt) => attempt.deliveryId === row.id)
      .map((attempt) => ({
        number: attempt.attempt,
        at: attempt.at,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
      })),
  }));
  return { nodes, totalCount: count?.count ?? 0 };
}

/**
 * Deletes deliveries that are over (DELIVERED or FAILED) and older than `days`, with their
 * attempts (cascade): the log is for operating webhooks, not an archive of events.
 */
export async function purgeFinishedDeliveries(db: ReportsDb, days: number): Promise<number> {
  const deleted = await db.execute(
    sql`DELETE FROM reports.webhook_deliveries
        WHERE status <> 'PENDING' AND created_at < now() - make_interval(days => ${days})`,
  );
  return deleted.rowCount ?? 0;
}
