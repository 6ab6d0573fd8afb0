/**
 * How far ahead of expiry the session refreshes: 60 s, but never more than a quarter of the
 * token's lifetime (exp − iat), so a 30 s token is used for most of its life instead of being
 * refreshed before every call, and no token is refreshed before it is half spent.
 */
import { describe, expect, it } from "vitest";
import { refreshLeadMs } from "../../src/access-token-expiry.js";
import { inProcessLock } from "../../src/refresh-lock.js";
import { Session } from "../../src/session.js";
import { tokensOf } from "../../src/session-tokens.js";
import { memoryTokens, type Tokens } from "../../src/tokens.js";

const issuedAt = Date.parse("2026-11-30T12:00:00Z");

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

/** A JWT-shaped token with the given lifetime; the signature is never checked on the client. */
function jwt(lifetimeSeconds: number, generation = 1): string {
  const iat = Math.floor(issuedAt / 1000);
  const claims = { sub: "u1", iat, exp: iat + lifetimeSeconds, jti: `g${generation}` };
  return `${base64url(JSON.stringify({ alg: "ES256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}.sig`;
}

function tokensWith(lifetimeSeconds: number, generation = 1): Tokens {
  const accessToken = jwt(lifetimeSeconds, generation);
  const user = { id: "u1", role: "NURSE", ward: "UTI-ADULTO", fullName: "Ana", nickname: "ana" } as const;
  return tokensOf(
    {
      accessToken,
      refreshToken: `refresh-${generation}`,
      expiresAt: new Date(issuedAt + lifetimeSeconds * 1000).toISOString(),
      refreshTokenExpiresAt: new Date(issuedAt + 86_400_000).toISOString(),
      user,
    } as Parameters<typeof tokensOf>[0],
    issuedAt,
  );
}

/** A session at `elapsedMs` into the token's life; counts the exchanges it makes. */
function sessionAt(lifetimeSeconds: number, elapsedMs: number, preferredMs = 60_000) {
  const exchanges: string[] = [];
  const session = new Session({
    storage: memoryTokens(tokensWith(lifetimeSeconds)),
    lock: inProcessLock(),
    lockName: "asky-refresh:test",
    refreshBeforeExpiryMs: preferredMs,
    now: () => issuedAt + elapsedMs,
    exchange: async (refreshToken) => {
      exchanges.push(refreshToken);
      return tokensWith(lifetimeSeconds, 2);
    },
  });
  return { session, exchanges };
}

describe("refreshLeadMs", () => {
  it("is 60 s for a 15-minute token", () => {
    expect(refreshLeadMs(jwt(900), 60_000)).toBe(60_000);
  });

  it("is a quarter of the lifetime when that is shorter", () => {
    expect(refreshLeadMs(jwt(30), 60_000)).toBe(7_500);
    // 60 s ahead would refresh a 100 s token before it is half spent.
    expect(refreshLeadMs(jwt(100), 60_000)).toBe(25_000);
  });

  it("keeps a shorter lead the app asked for", () => {
    expect(refreshLeadMs(jwt(900), 10_000)).toBe(10_000);
  });

  it("falls back to the preferred lead when the token has no readable iat/exp", () => {
    expect(refreshLeadMs("opaque-token", 60_000)).toBe(60_000);
    expect(refreshLeadMs("a.%%%.c", 60_000)).toBe(60_000);
    const backwards = `x.${base64url(JSON.stringify({ iat: 100, exp: 50 }))}.y`;
    expect(refreshLeadMs(backwards, 60_000)).toBe(60_000);
  });
});

describe("Session.accessToken with a 30 s token", () => {
  it("uses the token as issued while more than a quarter of its life is left", async () => {
    for (const elapsedMs of [0, 1_000, 15_000, 22_000]) {
      const { session, exchanges } = sessionAt(30, elapsedMs);
      expect(await session.accessToken()).toBe(jwt(30, 1));
      expect(exchanges).toEqual([]);
    }
  });

  it("refreshes in its last quarter", async () => {
    const { session, exchanges } = sessionAt(30, 23_000);
    expect(await session.accessToken()).toBe(jwt(30, 2));
    expect(exchanges).toEqual(["refresh-1"]);
  });
});

describe("Session.accessToken with a 15-minute token", () => {
  it("refreshes within the last minute only", async () => {
    const early = sessionAt(900, 839_000);
    expect(await early.session.accessToken()).toBe(jwt(900, 1));
    const late = sessionAt(900, 841_000);
    expect(await late.session.accessToken()).toBe(jwt(900, 2));
    expect([early.exchanges, late.exchanges]).toEqual([[], ["refresh-1"]]);
  });
});
