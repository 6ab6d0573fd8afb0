import { createHash } from "node:crypto";

/** Failed sign-ins counted in the current window for one account or one address. */
export interface FailureWindow {
  readonly failures: number;
  /** Seconds until the oldest counted failure leaves the window. */
  readonly retryAfterSeconds: number;
}

export interface ThrottleLimits {
  readonly windowSeconds: number;
  readonly maxFailuresPerAccount: number;
  readonly maxFailuresPerAddress: number;
}

/**
 * Null when a sign-in may proceed; otherwise how long the client should wait. Decided
 * before the password is looked at, and the same for unknown emails, so throttling
 * neither helps guessing nor reveals which accounts exist.
 */
export function throttleDelay(account: FailureWindow, address: FailureWindow, limits: ThrottleLimits): number | null {
  const waits: number[] = [];
  if (account.failures >= limits.maxFailuresPerAccount) waits.push(account.retryAfterSeconds);
  if (address.failures >= limits.maxFailuresPerAddress) waits.push(address.retryAfterSeconds);
  if (waits.length === 0) return null;
  return Math.min(limits.windowSeconds, Math.max(1, ...waits));
}

/** How failed attempts are keyed per account: the raw address is never stored for them. */
export function hashEmail(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase(), "utf8").digest("hex");
}

/** The gateway reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; count them once. */
export function clientAddress(ip: string | null): string {
  if (ip === null || ip.length === 0) return "unknown";
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice("::ffff:".length) : ip;
}
