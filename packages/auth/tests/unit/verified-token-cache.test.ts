import { describe, expect, it, vi } from "vitest";
import { cachedTokenVerifier } from "../../src/verified-token-cache.js";

interface Verified {
  subject: string;
  expiresAtMs: number;
}

function verifier(expiresInMs = 60_000) {
  const calls: string[] = [];
  const verify = async (token: string): Promise<Verified> => {
    calls.push(token);
    if (token.startsWith("bad")) throw new Error("invalid signature");
    return { subject: token, expiresAtMs: Date.now() + expiresInMs };
  };
  return { calls, verify };
}

describe("cachedTokenVerifier", () => {
  it("verifies a token once and answers repeats from memory", async () => {
    const { calls, verify } = verifier();
    const cached = cachedTokenVerifier(verify, (v) => v.expiresAtMs);
    expect((await cached("a")).subject).toBe("a");
    expect((await cached("a")).subject).toBe("a");
    expect((await cached("b")).subject).toBe("b");
    expect(calls).toEqual(["a", "b"]);
  });

  it("never remembers a failure", async () => {
    const { calls, verify } = verifier();
    const cached = cachedTokenVerifier(verify, (v) => v.expiresAtMs);
    await expect(cached("bad")).rejects.toThrow("invalid signature");
    await expect(cached("bad")).rejects.toThrow("invalid signature");
    expect(calls).toEqual(["bad", "bad"]);
  });

  it("forgets a token at its expiry and after maxAgeMs, whichever comes first", async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const short = verifier(1_000);
      const byExpiry = cachedTokenVerifier(short.verify, (v) => v.expiresAtMs, { maxAgeMs: 60_000 });
      await byExpiry("a");
      vi.setSystemTime(999);
      await byExpiry("a");
      vi.setSystemTime(1_000);
      await byExpiry("a");
      expect(short.calls).toEqual(["a", "a"]);

      const long = verifier(3_600_000);
      const byAge = cachedTokenVerifier(long.verify, (v) => v.expiresAtMs, { maxAgeMs: 5_000 });
      await byAge("b");
      vi.setSystemTime(1_000 + 5_000);
      await byAge("b");
      expect(long.calls).toEqual(["b", "b"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("stays within maxEntries", async () => {
    const { calls, verify } = verifier();
    const cached = cachedTokenVerifier(verify, (v) => v.expiresAtMs, { maxEntries: 2 });
    await cached("a");
    await cached("b");
    await cached("c"); // evicts a, the oldest
    await cached("c");
    await cached("b");
    await cached("a");
    expect(calls).toEqual(["a", "b", "c", "a"]);
  });
});
