import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress } from "../../src/admission/client-address.js";
import { RateLimiter } from "../../src/admission/rate-limiter.js";

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("RateLimiter", () => {
  it("grants the burst, then refills at the sustained rate", () => {
    const time = clock();
    const limiter = new RateLimiter({ burst: 3, perSecond: 2 }, () => 1, 100, time.now);
    expect([1, 2, 3, 4].map(() => limiter.take("a").ok)).toEqual([true, true, true, false]);
    const refused = limiter.take("a");
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeCloseTo(0.5, 5);
    time.advance(500);
    expect(limiter.take("a").ok).toBe(true);
    expect(limiter.take("a").ok).toBe(false);
    expect(limiter.take("b").ok).toBe(true);
  });

  it("takes an amount at once, and says when a bucket will hold it", () => {
    const time = clock();
    const limiter = new RateLimiter({ burst: 10_000, perSecond: 1_000 }, () => 1, 100, time.now);
    expect(limiter.take("a", 8_000).ok).toBe(true);
    const refused = limiter.take("a", 5_000);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeCloseTo(3, 5);
    time.advance(3_000);
    expect(limiter.take("a", 5_000).ok).toBe(true);
  });

  it("grants each replica its share of the allowance", () => {
    const time = clock();
    let replicas = 4;
    const limiter = new RateLimiter({ burst: 20, perSecond: 4 }, () => 1 / replicas, 100, time.now);
    let granted = 0;
    while (limiter.take("user").ok) granted += 1;
    expect(granted).toBe(5);
    time.advance(1_000);
    expect(limiter.take("user").ok).toBe(true);
    expect(limiter.take("user").ok).toBe(false);
    replicas = 1;
    time.advance(5_000);
    granted = 0;
    while (limiter.take("user").ok) granted += 1;
    expect(granted).toBe(20);
  });

  it("keeps memory bounded whatever the number of keys", () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 }, () => 1, 1_000);
    for (let index = 0; index < 10_000; index += 1) limiter.take(`10.0.${index >> 8}.${index & 255}`);
    expect(limiter.size).toBeLessThanOrEqual(1_000);
  });
});

describe("clientAddress", () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({
      socket: { remoteAddress },
      headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded },
    }) as unknown as IncomingMessage;

  it("uses the socket's peer unless proxies are trusted", () => {
    expect(clientAddress(request("10.1.2.3", "1.1.1.1"), 0)).toBe("10.1.2.3");
    expect(clientAddress(request("::ffff:10.1.2.3"), 0)).toBe("10.1.2.3");
  });

  it("takes the entry the trusted proxies appended, not what the client wrote", () => {
    expect(clientAddress(request("10.0.0.1", "6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(request("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.7"), 2)).toBe("203.0.113.9");
  });

  it("counts IPv6 clients by their /64", () => {
    expect(clientAddress(request("2001:db8:1:2:aaaa::1"), 0)).toBe("2001:db8:1:2::/64");
    expect(clientAddress(request("2001:db8:1:2:bbbb:cccc:dddd:eeee"), 0)).toBe("2001:db8:1:2::/64");
    expect(clientAddress(request("2001:db8::1"), 0)).toBe("2001:db8:0:0::/64");
  });
});
