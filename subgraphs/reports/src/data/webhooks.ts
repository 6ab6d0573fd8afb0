import { asc, eq, sql } from "drizzle-orm";
import * as tables from "@asky/db/schema/reports";
import type { WebhookEventType } from "../generated/resolvers-types.js";
import type { ReportsDb, ReportsTx } from "./db.js";

const { webhooks, auditLog } = tables;

/** A webhook as the API shows it: everything but the secret. */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly events: WebhookEventType[];
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const viewColumns = {
  id: webhooks.id,
  url: webhooks.url,
  events: sql<WebhookEventType[]>`${webhooks.events}`,
  active: webhooks.active,
  createdAt: webhooks.createdAt,
  updatedAt: webhooks.updatedAt,
};

export function listWebhooks(db: ReportsDb): Promise<WebhookView[]> {
  return db.select(viewColumns).from(webhooks).orderBy(asc(webhooks.createdAt), asc(webhooks.id));
}

/**
 * Serializes webhook creations, so two administrators at once cannot pass the count limit
 * together (a transaction-scoped advisory lock, released at commit).
 */
export async function lockWebhookCount(tx: ReportsTx): Promise<number> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('reports.webhooks'))`);
  const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(webhooks);
  return row?.count ?? 0;
}

/**
 * `id` is chosen by the caller: the secret is encrypted with the webhook's id as associated
 * data before the row exists. `secret` is the sealed form (webhooks/secret-box), never the secret.
 */
export async function insertWebhook(
  tx: ReportsTx,
  values: { id: string; url: string; events: WebhookEventType[]; secret: string; active: boolean; createdBy: string },
): Promise<WebhookView> {
  const [row] = await tx.insert(webhooks).values(values).returning(viewColumns);
  return row!;
}

/** `changes.secret`, when given, is the sealed form. */
export async function updateWebhookRow(
  tx: ReportsTx,
  id: string,
  changes: Partial<{ url: string; events: WebhookEventType[]; secret: string; active: boolean }>,
): Promise<WebhookView | null> {
  const [row] = await tx
    .update(webhooks)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(webhooks.id, id))
    .returning(viewColumns);
  return row ?? null;
}

export async function deleteWebhookRow(tx: ReportsTx, id: string): Promise<WebhookView | null> {
  const [row] = await tx.delete(webhooks).where(eq(webhooks.id, id)).returning(viewColumns);
  return row ?? null;
}

/** One line of the audit log; `detail` never holds a secret, only whether it changed. */
export async function audit(
  tx: ReportsTx,
  entry: { actorId: string; action: string; targetId: string; detail: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditLog).values(entry);
}

/** Active webhooks subscribed to `eventType` and registered before the event occurred. */
export async function webhooksFor(tx: ReportsTx, eventType: WebhookEventType, occurredAt: string) {
  return tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(
      sql`${webhooks.active} AND ${eventType} = ANY(${webhooks.events}) AND ${webhooks.createdAt} <= ${occurredAt}::timestamptz`,
    );
}

/**
 * Rows whose secret is not sealed yet (written before secrets were encrypted), locked until
 * the transaction ends; `sealedPrefix` is the stored format's version tag (`v1:`).
 */
export async function lockUnsealedSecrets(tx: ReportsTx, sealedPrefix: string) {
  return tx
    .select({ id: webhooks.id, secret: webhooks.secret })
    .from(webhooks)
    .where(sql`left(${webhooks.secret}, ${sealedPrefix.length}) <> ${sealedPrefix}`)
    .orderBy(asc(webhooks.id))
    .for("update");
}

/** Replaces a secret in place; `updatedAt` stays: nothing an administrator sees changed. */
export async function storeSealedSecret(tx: ReportsTx, id: string, sealed: string): Promise<void> {
  await tx.update(webhooks).set({ secret: sealed }).where(eq(webhooks.id, id));
}
