import { eventConsumer } from "@asky/service";
import type { ReportsTx } from "../data/db.js";
import { enqueueWebhookEvent } from "../services/enqueue-webhook-event.js";
import { webhookEventTypes, webhookSubjects } from "../webhooks/event-types.js";

/**
 * One durable consumer per webhook subject (nats-server 2.9 takes one filter subject). Events
 * are read with the envelope only (`parse` keeps data as is), so producers' payloads are
 * passed on without this service depending on their shape.
 */
export const webhookConsumers = webhookEventTypes.map((type) =>
  eventConsumer({
    durable: `reports-webhooks-${type.toLowerCase().replaceAll("_", "-")}`,
    subject: webhookSubjects[type],
    parse: (data: unknown) => data,
    // Enqueueing is one small insert: the service pool serves it, rather than five more pools.
    handle: (event, tx: ReportsTx) => enqueueWebhookEvent(tx, type, event),
  }),
);
