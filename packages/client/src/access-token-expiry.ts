/**
 * When an access token stops working, on this device's clock. The token's lifetime (exp − iat,
 * both on the server's clock) is counted from the moment it arrived, so a device whose clock
 * is off by minutes (common on ward tablets) still refreshes shortly before the server refuses it.
 */
import { decodeBase64Url } from "./base64url.js";

interface Claims {
  iat?: unknown;
  exp?: unknown;
}

function claimsOf(token: string): Claims | null {
  const payload = token.split(".")[1];
  if (payload === undefined) return null;
  const text = decodeBase64Url(payload);
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Claims) : null;
  } catch {
    return null;
  }
}

/** exp − iat in milliseconds, or null when the token does not say. */
export function tokenLifetimeMs(accessToken: string): number | null {
  const claims = claimsOf(accessToken);
  if (claims && typeof claims.iat === "number" && typeof claims.exp === "number" && claims.exp > claims.iat) {
    return (claims.exp - claims.iat) * 1000;
  }
  return null;
}

/**
 * How long before expiry to refresh: `preferredMs` (60 s by default), but at most a quarter of
 * the token's lifetime, so a short-lived token (30 s in a test or a strict deployment) is used
 * for three quarters of its life instead of being refreshed before every call; never before
 * it is half spent, whatever the caller asked.
 */
export function refreshLeadMs(accessToken: string, preferredMs: number): number {
  const lifetime = tokenLifetimeMs(accessToken);
  if (lifetime === null) return preferredMs;
  return Math.max(0, Math.min(preferredMs, lifetime / 4));
}

/** Epoch milliseconds on the local clock; `expiresAt` (the server's ISO time) when the token says nothing. */
export function localExpiry(accessToken: string, expiresAt: string, receivedAtMs: number): number {
  const lifetime = tokenLifetimeMs(accessToken);
  if (lifetime !== null) return receivedAtMs + lifetime;
  const parsed = Date.parse(expiresAt);
  return Number.isNaN(parsed) ? receivedAtMs : parsed;
}
