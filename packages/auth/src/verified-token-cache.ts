/**
 * Remembers tokens whose signature and claims checked out, so that a caller sending the same
 * token on every request costs one ES256 verification per `maxAgeMs` instead of one per
 * request (the gateway reuses an internal token for half its life; a client its access token
 * for its lifetime). An entry never outlives the token's own expiry, nor `maxAgeMs`, so a
 * key withdrawn from a key set stops working within that time. Failures are never cached.
 * Revocation, where it applies, is checked outside this cache on every request.
 */
export function cachedTokenVerifier<T>(
  verify: (token: string) => Promise<T>,
  expiresAtMs: (verified: T) => number,
  options: { maxEntries?: number; maxAgeMs?: number } = {},
): (token: string) => Promise<T> {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const entries = new Map<string, { verified: T; until: number }>();

  function remember(token: string, verified: T, now: number): void {
    if (entries.size >= maxEntries) {
      for (const [key, entry] of entries) if (entry.until <= now) entries.delete(key);
      // Still full: drop the oldest (Map keeps insertion order).
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(token, { verified, until: Math.min(expiresAtMs(verified), now + maxAgeMs) });
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
