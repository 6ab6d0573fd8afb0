import { isUuid } from "../uuid.js";

/**
 * An access token taken back before it expires: one session (`sessionId`), or every token of
 * the user whose claims were read up to `revokedAtMs`, except those of `exceptSessionId`.
 * Gateways learn of revocations from `asky.users.access_revoked`; the users service answers
 * with the same rule when a gateway cannot trust its feed, so both always agree.
 */
export interface Revocation {
  readonly userId: string;
  readonly sessionId: string | null;
  readonly exceptSessionId: string | null;
  /** Milliseconds on the users database's clock, the clock access tokens' `iat_ms` uses too. */
  readonly revokedAtMs: number;
}

/** What of a verified access token the rule looks at. */
export interface RevocableToken {
  readonly viewer: { readonly id: string };
  readonly sessionId: string | null;
  /** See VerifiedAccessToken.issuedAtMs. */
  readonly issuedAtMs: number;
}

export function revocationApplies(revocation: Revocation, token: RevocableToken): boolean {
  if (revocation.userId !== token.viewer.id) return false;
  if (revocation.sessionId !== null) return token.sessionId === revocation.sessionId;
  if (revocation.exceptSessionId !== null && token.sessionId === revocation.exceptSessionId) return false;
  // A token issued in the very millisecond of the revocation is refused: it may carry the
  // claims the revocation took back.
  return token.issuedAtMs <= revocation.revokedAtMs;
}

const optionalUuid = (value: unknown): value is string | null => value === null || isUuid(value);

/** Reads the `data` of an access_revoked event; throws on anything else. */
export function revocationFromEvent(data: unknown): Revocation {
  if (typeof data !== "object" || data === null) throw new Error("access revocation is not an object");
  const { userId, sessionId, exceptSessionId, revokedAt } = data as Record<string, unknown>;
  const revokedAtMs = typeof revokedAt === "string" ? Date.parse(revokedAt) : Number.NaN;
  if (!isUuid(userId) || !optionalUuid(sessionId) || !optionalUuid(exceptSessionId) || Number.isNaN(revokedAtMs)) {
    throw new Error("malformed access revocation");
  }
  return { userId, sessionId, exceptSessionId, revokedAtMs };
}
