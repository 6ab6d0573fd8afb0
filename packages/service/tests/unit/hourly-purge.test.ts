import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "@asky/runtime";
import { startHourlyPurge } from "../../src/hourly-purge.js";

const logger = createLogger("hourly-purge-test", "silent");

describe("startHourlyPurge", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("purges a minute after start and then hourly, goes on after a failed pass, and stops on close", async () => {
    const results: (number | Error)[] = [3, new Error("database down"), 0];
    let calls = 0;
    const job = startHourlyPurge(
      {
        name: "test-purge",
        purge: () => {
          const next = results[calls++] ?? 0;
          return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
        },
        purged: "purged test rows",
      },
      logger,
    );
    await vi.advanceTimersByTimeAsync(59_999);
    expect(calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000 - 60_000);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(calls).toBe(3);
    await job.close();
    await vi.advanceTimersByTimeAsync(3 * 60 * 60 * 1000);
    expect(calls).toBe(3);
  });
});
