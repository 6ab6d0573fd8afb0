/**
 * One refresh at a time: concurrent callers meeting the same stale token share one exchange,
 * a caller whose token was already replaced (by this client or another tab) exchanges
 * nothing, and a refused exchange ends the session once.
 */
import { describe, expect, it } from "vitest";
import { AskyClientError } from "../../src/errors.js";
import { inProcessLock, webLocks, type LockManagerLike, type RefreshLock } from "../../src/refresh-lock.js";
import { Session } from "../../src/session.js";
import {
  localStorageTokens,
  memoryTokens,
  type StorageLike,
  type Tokens,
  type TokenStorage,
} from "../../src/tokens.js";

const viewer = { id: "u1", role: "NURSE", ward: "UTI-ADULTO", fullName: "Ana", nickname: "ana" } as const;
const now = Date.parse("2026-11-30T12:00:00Z");

function tokens(generation: number, expiresInMs = 15 * 60_000): Tokens {
  return {
    accessToken: `access-${generation}`,
    refreshToken: `refresh-${generation}`,
    accessTokenExpiresAt: new Date(now + expiresInMs).toISOString(),
    refreshTokenExpiresAt: new Date(now + 86_400_000).toISOString(),
    viewer,
  };
}

/** An exchange like the server's: each refresh token once, the next generation back, after a tick. */
function fakeServer() {
  const spent = new Set<string>();
  const calls: string[] = [];
  return {
    calls,
    async exchange(refreshToken: string): Promise<Tokens> {
      calls.push(refreshToken);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (spent.has(refreshToken)) throw new AskyClientError("UNAUTHENTICATED", "reused");
      spent.add(refreshToken);
      return tokens(Number(refreshToken.split("-")[1]) + 1);
    },
  };
}

function sessionOf(
  storage: TokenStorage,
  exchange: (token: string) => Promise<Tokens>,
  lock: RefreshLock = inProcessLock(),
) {
  return new Session({
    storage,
    lock,
    lockName: "asky-refresh:test",
    refreshBeforeExpiryMs: 60_000,
    now: () => now,
    exchange,
  });
}

function fakeLocalStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe("Session.refresh", () => {
  it("shares one exchange among concurrent callers of the same stale token", async () => {
    const server = fakeServer();
    const session = sessionOf(memoryTokens(tokens(1)), (token) => server.exchange(token));
    const results = await Promise.all(Array.from({ length: 10 }, () => session.refresh("access-1")));
    expect(server.calls).toEqual(["refresh-1"]);
    expect(new Set(results.map((result) => result.accessToken))).toEqual(new Set(["access-2"]));
  });

  it("exchanges nothing for a caller whose stale token was already replaced", async () => {
    const server = fakeServer();
    const session = sessionOf(memoryTokens(tokens(1)), (token) => server.exchange(token));
    await session.refresh("access-1");
    // A slow response with the old token arrives after the refresh finished.
    const late = await session.refresh("access-1");
    expect(late.accessToken).toBe("access-2");
    expect(server.calls).toEqual(["refresh-1"]);
  });

  it("refreshes proactively, once, when the access token expires soon", async () => {
    const server = fakeServer();
    const session = sessionOf(memoryTokens(tokens(1, 30_000)), (token) => server.exchange(token));
    const access = await Promise.all(Array.from({ length: 5 }, () => session.accessToken()));
    expect(access).toEqual(Array(5).fill("access-2"));
    expect(server.calls).toEqual(["refresh-1"]);
  });

  it("lets two tabs sharing storage and a lock refresh once between them", async () => {
    const server = fakeServer();
    const shared = fakeLocalStorage();
    localStorageTokens("asky.session", shared).set(tokens(1, 10_000));
    const lock = inProcessLock(); // what navigator.locks is to two tabs of one origin
    const tabA = sessionOf(localStorageTokens("asky.session", shared), (token) => server.exchange(token), lock);
    const tabB = sessionOf(localStorageTokens("asky.session", shared), (token) => server.exchange(token), lock);
    const [a, b] = await Promise.all([tabA.accessToken(), tabB.accessToken()]);
    expect([a, b]).toEqual(["access-2", "access-2"]);
    expect(server.calls).toEqual(["refresh-1"]);
  });

  it("uses the Web Locks API shape for tabs", async () => {
    const server = fakeServer();
    const shared = memoryTokens(tokens(1));
    const requested: string[] = [];
    const inner = inProcessLock();
    const locks: LockManagerLike = {
      request: (name, options, callback) => {
        requested.push(`${name}:${options.mode}`);
        return inner.run(name, callback);
      },
    };
    const tabA = sessionOf(shared, (token) => server.exchange(token), webLocks(locks));
    const tabB = sessionOf(shared, (token) => server.exchange(token), webLocks(locks));
    await Promise.all([tabA.refresh("access-1"), tabB.refresh("access-1")]);
    expect(server.calls).toEqual(["refresh-1"]);
    expect(requested).toEqual(["asky-refresh:test:exclusive", "asky-refresh:test:exclusive"]);
  });

  it("ends the session once, forgetting the tokens, when the exchange is refused", async () => {
    const storage = memoryTokens(tokens(1));
    const ended: string[] = [];
    const session = sessionOf(storage, () => Promise.reject(new AskyClientError("UNAUTHENTICATED", "revoked")));
    session.onEnd((error) => ended.push(error.message));
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => session.refresh("access-1")));
    expect(outcomes.every((outcome) => outcome.status === "rejected")).toBe(true);
    expect(ended).toEqual(["revoked"]);
    expect(storage.get()).toBeNull();
  });

  it("keeps the tokens when the exchange fails for the network", async () => {
    const storage = memoryTokens(tokens(1));
    const session = sessionOf(storage, () => Promise.reject(new AskyClientError("NETWORK_ERROR", "offline")));
    await expect(session.refresh("access-1")).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    expect(storage.get()?.refreshToken).toBe("refresh-1");
  });

  it("refuses without exchanging anything when signed out", async () => {
    const server = fakeServer();
    const session = sessionOf(memoryTokens(), (token) => server.exchange(token));
    await expect(session.refresh("access-1")).rejects.toMatchObject({ code: "UNAUTHENTICATED", reason: "SIGNED_OUT" });
    expect(await session.accessToken()).toBeNull();
    expect(server.calls).toEqual([]);
  });
});

describe("Session.refresh racing a sign-out", () => {
  it("does not bring the tokens back", async () => {
    const storage = memoryTokens(tokens(1));
    let release = () => {};
    const session = sessionOf(storage, () => new Promise<Tokens>((resolve) => (release = () => resolve(tokens(2)))));
    const refreshing = session.refresh("access-1");
    await new Promise((resolve) => setTimeout(resolve, 5));
    storage.set(null);
    release();
    await expect(refreshing).rejects.toMatchObject({ code: "UNAUTHENTICATED", reason: "SIGNED_OUT" });
    expect(storage.get()).toBeNull();
  });
});
