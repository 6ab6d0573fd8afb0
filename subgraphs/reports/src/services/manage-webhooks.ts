import { randomUUID } from "node:crypto";
import { errors, uuidField } from "@asky/runtime";
import type { ReportsDb } from "../data/db.js";
import {
  audit,
  deleteWebhookRow,
  insertWebhook,
  lockWebhookCount,
  updateWebhookRow,
  type WebhookView,
} from "../data/webhooks.js";
import type { CreateWebhookInput, UpdateWebhookInput, WebhookEventType } from "../generated/resolvers-types.js";
import {
  checkEvents,
  checkSecret,
  checkWebhookUrl,
  generateSecret,
  MAX_WEBHOOKS,
} from "../validation/webhook-input.js";
import type { WebhookAllowance } from "../webhooks/allowance.js";
import { sealSecret } from "../webhooks/secret-box.js";
import type { SecretKeyring } from "../webhooks/secret-keys.js";
import type { Resolve } from "../webhooks/target-guard.js";

export interface WebhookAdmin {
  readonly db: ReportsDb;
  readonly actorId: string;
  readonly allowance: WebhookAllowance;
  readonly resolve?: Resolve;
  /** The secret is stored encrypted with the first key (never as given). */
  readonly secretKeys: SecretKeyring;
}

/**
 * Every input is checked before the transaction opens (the URL with a DNS lookup), so a
 * refusal changes nothing. The audit line is written in the change's transaction and names
 * what changed, never the secret itself. The secret is stored sealed (AES-256-GCM, bound to
 * the webhook's id), so a database dump cannot sign deliveries.
 */
export async function createWebhook(admin: WebhookAdmin, input: CreateWebhookInput) {
  const url = await checkWebhookUrl(input.url, admin.allowance, admin.resolve);
  const events = checkEvents(input.events);
  const given = input.secret ?? null;
  const secret = given === null ? generateSecret() : checkSecret(given);
  const active = input.active ?? true;
  const webhook = await admin.db.transaction(async (tx) => {
    if ((await lockWebhookCount(tx)) >= MAX_WEBHOOKS) {
      throw errors.conflict(`At most ${MAX_WEBHOOKS} webhooks may be registered`, { reason: "TOO_MANY_WEBHOOKS" });
    }
    const id = randomUUID();
    const sealed = sealSecret(admin.secretKeys, id, secret);
    const row = await insertWebhook(tx, { id, url, events, secret: sealed, active, createdBy: admin.actorId });
    await audit(tx, {
      actorId: admin.actorId,
      action: "webhook.create",
      targetId: row.id,
      detail: { url, events, active, secretGenerated: given === null },
    });
    return row;
  });
  return { webhook, generatedSecret: given === null ? secret : null };
}

export async function updateWebhook(
  admin: WebhookAdmin,
  rawId: string,
  input: UpdateWebhookInput,
): Promise<WebhookView> {
  const id = uuidField(rawId, "id");
  const changes: { url?: string; events?: WebhookEventType[]; secret?: string; active?: boolean } = {};
  if (input.url !== undefined && input.url !== null) {
    changes.url = await checkWebhookUrl(input.url, admin.allowance, admin.resolve);
  }
  if (input.events !== undefined && input.events !== null) changes.events = checkEvents(input.events);
  if (input.secret !== undefined && input.secret !== null) {
    changes.secret = sealSecret(admin.secretKeys, id, checkSecret(input.secret));
  }
  if (input.active !== undefined && input.active !== null) changes.active = input.active;
  if (Object.keys(changes).length === 0) {
    throw errors.badUserInput("Nothing to change", { field: "input", reason: "NO_CHANGES" });
  }
  return admin.db.transaction(async (tx) => {
    const row = await updateWebhookRow(tx, id, changes);
    if (!row) throw errors.notFound("Webhook", id);
    const { secret, ...shown } = changes;
    await audit(tx, {
      actorId: admin.actorId,
      action: "webhook.update",
      targetId: id,
      detail: { ...shown, secretChanged: secret !== undefined },
    });
    return row;
  });
}

export async function deleteWebhook(admin: WebhookAdmin, rawId: string): Promise<string> {
  const id = uuidField(rawId, "id");
  return admin.db.transaction(async (tx) => {
    const row = await deleteWebhookRow(tx, id);
    if (!row) throw errors.notFound("Webhook", id);
    await audit(tx, { actorId: admin.actorId, action: "webhook.delete", targetId: id, detail: { url: row.url } });
    return id;
  });
}
