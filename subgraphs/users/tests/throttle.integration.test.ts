import { describe, expect, it } from "vitest";
import { LOGIN, createUser, freshEmail, gql, queryUsersDb } from "./support/users-api.js";

/**
 * Every client of a test run is 127.0.0.1, so these tests rely on the per-account limit
 * (5 failures in 15 minutes by default) and stay far below the per-address one.
 */
const MAX_FAILURES_PER_ACCOUNT = 5;

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;

async function attempt(email: string, password: string): Promise<Errors> {
  return (await gql(LOGIN, { email, password })).body.errors;
}

describe("sign-in throttling", () => {
  it("stops checking passwords for an account after repeated failures", async () => {
    const user = await createUser("PHARMACIST");
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i += 1) {
      expect((await attempt(user.email, `wrong-password-${i}`))?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    // Even the right password is refused now: the password is not looked at.
    const limited = await attempt(user.email, user.password);
    expect(limited?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    const retryAfter = Number(limited?.[0]?.extensions?.retryAfterSeconds);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // Throttled attempts are not counted as failures; every real attempt is recorded.
    const rows = await queryUsersDb<{ failures: string; total: string }>(
      `select count(*) filter (where not success) as failures, count(*) as total
         from users.login_attempts where email_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [user.email],
    );
    expect(rows[0]).toEqual({ failures: String(MAX_FAILURES_PER_ACCOUNT), total: String(MAX_FAILURES_PER_ACCOUNT) });
  });

  it("throttles unknown emails the same way, with an identical error", async () => {
    const user = await createUser("NURSE");
    const ghost = freshEmail("ghost");
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i += 1) {
      await attempt(user.email, `wrong-password-${i}`);
      await attempt(ghost, `wrong-password-${i}`);
    }
    const known = await attempt(user.email, "wrong-password-again");
    const unknown = await attempt(ghost, "wrong-password-again");
    expect(known?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(unknown?.[0]?.message).toBe(known?.[0]?.message);
    expect(Object.keys(unknown?.[0]?.extensions ?? {}).sort()).toEqual(
      Object.keys(known?.[0]?.extensions ?? {}).sort(),
    );
    expect(unknown?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });

  it("never stores the raw email of a failed sign-in", async () => {
    const ghost = freshEmail("raw");
    await attempt(ghost, "wrong-password-raw");
    const rows = await queryUsersDb<{ hits: string }>(
      `select (select count(*) from users.login_attempts where email_hash = $1)
            + (select count(*) from users.audit_log where detail::text like '%' || $1 || '%') as hits`,
      [ghost],
    );
    expect(rows[0]?.hits).toBe("0");
  });
});
