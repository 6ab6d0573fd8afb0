import { describe, expect, it } from "vitest";
import { AskyClientError } from "../../src/errors.js";
import { backoffDelay, TransientFailure, withRetries, type RetryPolicy } from "../../src/retry.js";

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 350 };
const quick: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe("backoffDelay", () => {
  it("doubles its ceiling up to the maximum, with full jitter below it", () => {
    const highest = (retry: number) => backoffDelay(retry, policy, () => 0.999_999);
    expect([0, 1, 2, 3, 10, 60].map(highest)).toEqual([99, 199, 349, 349, 349, 349]);
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(100);
  });
});

describe("withRetries", () => {
  it("retries transport failures, then reports NETWORK_ERROR after the last attempt", async () => {
    let calls = 0;
    const failing = withRetries(
      () => {
        calls++;
        return Promise.reject(new TransientFailure("reset", 503));
      },
      { policy: quick },
    );
    await expect(failing).rejects.toMatchObject({ code: "NETWORK_ERROR", status: 503 });
    expect(calls).toBe(4);
  });

  it("succeeds on a later attempt, telling each retry", async () => {
    const retries: number[] = [];
    const result = await withRetries(
      (index) => (index < 2 ? Promise.reject(new TransientFailure("refused")) : Promise.resolve("ok")),
      { policy: quick, onRetry: (_failure, retry) => retries.push(retry) },
    );
    expect(result).toBe("ok");
    expect(retries).toEqual([0, 1]);
  });

  it("never retries a GraphQL answer", async () => {
    let calls = 0;
    const refused = withRetries(
      () => {
        calls++;
        return Promise.reject(new AskyClientError("CONFLICT", "stale version"));
      },
      { policy: quick },
    );
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT" });
    expect(calls).toBe(1);
  });

  it("stops waiting as soon as it is aborted", async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = withRetries(
      () => {
        calls++;
        if (calls === 1) setTimeout(() => controller.abort(), 5);
        return Promise.reject(new TransientFailure("refused"));
      },
      { policy: { attempts: 10, baseDelayMs: 60_000, maxDelayMs: 60_000 }, signal: controller.signal, random: () => 1 },
    );
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
    expect(calls).toBe(1);
  });
});
