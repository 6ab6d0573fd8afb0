import type { WebhookEventType } from "../generated/resolvers-types.js";

/**
 * The one map between the webhook event types of the API and the stream subjects they stand
 * for. Events are read by subject with the envelope alone, so a producer's data shape is not
 * this service's concern: the receiver gets the envelope as published.
 */
export const webhookSubjects = {
  REQUEST_CREATED: "asky.requests.created",
  REQUEST_STATUS_CHANGED: "asky.requests.status_changed",
  SLA_WARNING: "asky.requests.sla_warning",
  SLA_BREACHED: "asky.requests.sla_breached",
  STOCK_LOW: "asky.dispensers.stock_low",
} as const satisfies Record<WebhookEventType, string>;

export const webhookEventTypes = Object.keys(webhookSubjects) as WebhookEventType[];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return Object.hasOwn(webhookSubjects, value);
}
