import { randomBytes } from "node:crypto";
import { errors } from "@asky/runtime";
import type { WebhookEventType } from "../generated/resolvers-types.js";
import type { WebhookAllowance } from "../webhooks/allowance.js";
import { isWebhookEventType } from "../webhooks/event-types.js";
import { hostOf, permittedAddresses, RefusedTarget, type Resolve } from "../webhooks/target-guard.js";

export const MAX_URL_LENGTH = 2048;
export const MIN_SECRET_LENGTH = 32;
export const MAX_SECRET_LENGTH = 256;
/** Webhooks one hospital registers: escalation channels, not a subscription service. */
export const MAX_WEBHOOKS = 20;

const refuse = (field: string, reason: string, message: string) => errors.badUserInput(message, { field, reason });

/**
 * A URL a webhook may be sent to: https (plain http only to an allowed host), no user
 * information or fragment, and a host that resolves to no internal address unless allowed.
 * The delivery checks the addresses again at the socket, as DNS answers change.
 */
export async function checkWebhookUrl(raw: string, allowance: WebhookAllowance, resolve?: Resolve): Promise<string> {
  if (raw.length > MAX_URL_LENGTH) {
    throw refuse("url", "URL_TOO_LONG", `A webhook URL is at most ${MAX_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse("url", "INVALID_URL", "url is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw refuse("url", "HTTPS_REQUIRED", "A webhook URL must use https");
  }
  if (url.username !== "" || url.password !== "" || url.hash !== "") {
    throw refuse("url", "INVALID_URL", "A webhook URL carries no credentials or fragment (sign with the secret)");
  }
  const host = hostOf(url);
  if (url.protocol === "http:" && !allowance.hosts.has(host)) {
    throw refuse("url", "HTTPS_REQUIRED", "A webhook URL must use https");
  }
  try {
    await permittedAddresses(host, allowance, resolve);
  } catch (error) {
    if (error instanceof RefusedTarget) {
      throw refuse(
        "url",
        error.reason,
        error.reason === "INTERNAL_TARGET"
          ? "A webhook may not target the service's internal network"
          : "The webhook URL's host does not resolve",
      );
    }
    throw error;
  }
  return url.toString();
}

export function checkEvents(events: readonly string[]): WebhookEventType[] {
  const unique = [...new Set(events)];
  if (unique.length === 0) throw refuse("events", "NO_EVENTS", "A webhook needs at least one event type");
  // The enum already refuses other values; this keeps the database's check in step.
  if (!unique.every(isWebhookEventType)) throw refuse("events", "INVALID_EVENT", "Unknown event type");
  return unique;
}

export function checkSecret(secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw refuse("secret", "SECRET_TOO_SHORT", `A webhook secret is at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (secret.length > MAX_SECRET_LENGTH) {
    throw refuse("secret", "SECRET_TOO_LONG", `A webhook secret is at most ${MAX_SECRET_LENGTH} characters`);
  }
  // Control characters would not survive being typed into a receiver's configuration.
  if (/\p{Cc}/u.test(secret)) throw refuse("secret", "INVALID_SECRET", "A webhook secret has no control characters");
  return secret;
}

/** 256 random bits, hex: what the service gives when the administrator gives no secret. */
export function generateSecret(): string {
  return randomBytes(32).toString("hex");
}
