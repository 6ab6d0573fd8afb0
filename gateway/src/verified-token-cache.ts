import type { VerifiedAccessToken } from "@asky/common";

/**
 * Remembers access tokens whose signature and claims checked out, so that a client sending
 * the same token on every request costs one ES256 verification per minute instead of one per
 * request. An entry never outlives the token's own expiry, nor `maxAgeMs` (so a key withdrawn
 * from the JWKS stops working within a minute). Failures are never cached. Revocation is
 * checked outside this cache, on every request.
 */
export function cachedTokenVerifier(
  verify: (token: string) => Promise<VerifiedAccessToken>,
  options: { maxEntries?: number; maxAgeMs?: number } = {},
): (token: string) => Promise<VerifiedAccessToken> {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const entries = new Map<string, { verified: VerifiedAccessToken; until: number }>();

  function remember(token: string, verified: VerifiedAccessToken, now: number): void {
    if (entries.size >= maxEntries) {
      for (const [key, entry] of entries) if (entry.until <= now) entries.delete(key);
      // Still full: drop the oldest (Map keeps insertion order).
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(token, { verified, until: Math.min(verified.expiresAt.getTime(), now + maxAgeMs) });
  }

  return async (token) => {
    const now = Date.now();
    const hit = entries.get(token);
    if (hit && hit.until > now) return hit.verified;
    if (hit) entries.delete(token);
    const verified = await verify(token);
    remember(token, verified, Date.now());
    return verified;
  };
}
