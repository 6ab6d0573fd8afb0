import { accessRevoked, type AccessRevokedData } from "@asky/contracts";

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

/** The rule's reading of an access_revoked event's data. */
export function toRevocation(data: AccessRevokedData): Revocation {
  return {
    userId: data.userId,
    sessionId: data.sessionId,
    exceptSessionId: data.exceptSessionId,
    revokedAtMs: Date.parse(data.revokedAt),
  };
}

/** Reads the `data` of an access_revoked event through its contract; throws InvalidEventError on anything else. */
export function revocationFromEvent(data: unknown): Revocation {
  return toRevocation(accessRevoked.parseData(data));
}
