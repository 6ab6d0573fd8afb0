import type { EventEnvelope } from "@asky/contracts";
import type { ReportsTx } from "../data/db.js";
import { enqueueDeliveries } from "../data/webhook-deliveries.js";
import { webhooksFor } from "../data/webhooks.js";
import type { WebhookEventType } from "../generated/resolvers-types.js";
import { recordEnqueued } from "../webhooks/metrics.js";

/**
 * One delivery per active webhook subscribed to the event's type, in the consumer's
 * transaction: a redelivered event finds its deliveries there and adds none. The body is the
 * envelope as published, whatever its data holds.
 */
export async function enqueueWebhookEvent(
  tx: ReportsTx,
  type: WebhookEventType,
  event: EventEnvelope<unknown>,
): Promise<void> {
  const targets = await webhooksFor(tx, type, event.occurredAt);
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    subject: event.subject,
    occurredAt: event.occurredAt,
    version: event.version,
    data: event.data,
  });
  recordEnqueued(
    await enqueueDeliveries(
      tx,
      targets.map((target) => target.id),
      { id: event.id, type, body },
    ),
    type,
  );
}
