/**
 * The hourly purge of sign-in data, run against the real users schema as the users
 * service's own database role: old rows go, recent ones and the audit log stay. Ages and
 * retentions here are all under the service's own (90 and 30 days), so its background purge
 * never touches these rows while the test looks at them.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, describe, expect, it } from "vitest";
import * as tables from "@asky/db/schema/users";
import { purgeLoginAttempts } from "../src/data/retention.js";
import { purgeExpiredSignInData } from "../src/services/retention.js";
import { createUser, queryUsersDb, stack } from "./support/users-api.js";

const pool = new pg.Pool({ connectionString: stack.serviceDatabaseUrls.users, max: 2 });
const db = drizzle(pool, { schema: tables });
afterAll(() => pool.end());

async function attemptAgedDays(emailHash: string, days: number): Promise<void> {
  await queryUsersDb(
    `insert into users.login_attempts (email_hash, ip, success, at) values ($1, '10.0.0.1', false, now() - make_interval(days => $2))`,
    [emailHash, days],
  );
}

async function tokenExpiredDaysAgo(userId: string, familyId: string, days: number): Promise<void> {
  await queryUsersDb(
    `insert into users.refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
     values ($1, $2, $3, now() - make_interval(days => $4 + 30), now() - make_interval(days => $4))`,
    [userId, familyId, randomUUID(), days],
  );
}

const remaining = async (sql: string, value: string) => Number((await queryUsersDb<{ n: string }>(sql, [value]))[0]!.n);

describe("purging expired sign-in data", () => {
  it("deletes attempts past their retention and tokens long expired, and keeps the rest", async () => {
    const emailHash = `retention-${randomUUID()}`;
    for (const days of [40, 12, 11, 9, 2, 0]) await attemptAgedDays(emailHash, days);
    const user = await createUser("NURSE");
    const family = randomUUID();
    // Negative: still valid for ten days.
    for (const days of [20, 8, 6, -10]) await tokenExpiredDaysAgo(user.id, family, days);
    const auditBefore = await remaining(`select count(*) as n from users.audit_log where target_id = $1`, user.id);

    const deleted = await purgeExpiredSignInData(db, { loginAttemptsRetentionDays: 10, refreshTokensRetentionDays: 7 });

    expect(deleted.loginAttempts).toBeGreaterThanOrEqual(3);
    expect(deleted.refreshTokens).toBeGreaterThanOrEqual(2);
    const ages = await queryUsersDb<{ days: number }>(
      `select round(extract(epoch from now() - at) / 86400)::int as days from users.login_attempts where email_hash = $1 order by at`,
      [emailHash],
    );
    expect(ages.map((row) => row.days)).toEqual([9, 2, 0]);
    const expiries = await queryUsersDb<{ days: number }>(
      `select round(extract(epoch from now() - expires_at) / 86400)::int as days from users.refresh_tokens where family_id = $1 order by expires_at`,
      [family],
    );
    expect(expiries.map((row) => row.days)).toEqual([6, -10]);
    expect(await remaining(`select count(*) as n from users.audit_log where target_id = $1`, user.id)).toBe(
      auditBefore,
    );
  });

  it("works through a backlog larger than one batch", async () => {
    const emailHash = `backlog-${randomUUID()}`;
    for (let i = 0; i < 7; i += 1) await attemptAgedDays(emailHash, 20 + i);
    await attemptAgedDays(emailHash, 1);
    expect(await purgeLoginAttempts(db, 10, 2)).toBeGreaterThanOrEqual(7);
    expect(await remaining(`select count(*) as n from users.login_attempts where email_hash = $1`, emailHash)).toBe(1);
  });
});
