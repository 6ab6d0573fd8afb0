import { describe, expect, it } from "vitest";
import { createLogger } from "@asky/runtime";
import { SessionChecks, type SessionStatusSource } from "../../src/revocation/session-checks.js";

const logger = createLogger("test", "silent");
const token = {
  viewer: { id: "7b0c4a4e-3f1e-4a55-9f0e-1a2b3c4d5e6f" },
  sessionId: "s-1",
  issuedAtMs: 1_700_000_000_000,
};

describe("session checks (the fallback while a revocation feed is stale)", () => {
  it("asks once for concurrent checks of a token and reuses the answer for cacheMs", async () => {
    let asked = 0;
    const source: SessionStatusSource = async () => {
      asked += 1;
      return { status: "active" };
    };
    const checks = new SessionChecks(source, { cacheMs: 60_000, timeoutMs: 1_000, logger });
    const answers = await Promise.all([checks.check(token), checks.check(token), checks.check(token)]);
    expect(answers).toEqual([{ status: "active" }, { status: "active" }, { status: "active" }]);
    await checks.check(token);
    expect(asked).toBe(1);
    await checks.check({ ...token, issuedAtMs: token.issuedAtMs + 1 });
    expect(asked).toBe(2);
  });

  it("reads a source that fails or does not answer within timeoutMs as unverifiable", async () => {
    const failing = new SessionChecks(() => Promise.reject(new Error("connection refused")), {
      cacheMs: 0,
      timeoutMs: 1_000,
      logger,
    });
    expect(await failing.check(token)).toEqual({ status: "unverifiable", cause: "connection refused" });

    const hung = new SessionChecks(() => new Promise(() => undefined), { cacheMs: 0, timeoutMs: 50, logger });
    const started = Date.now();
    expect((await hung.check(token)).status).toBe("unverifiable");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
