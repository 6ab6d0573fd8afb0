import type { UsersDb } from "../data/db.js";
import { purgeLoginAttempts, purgeRefreshTokens } from "../data/retention.js";

export interface RetentionPolicy {
  readonly loginAttemptsRetentionDays: number;
  readonly refreshTokensRetentionDays: number;
}

/**
 * One pass: what it deleted, per table. Who signed in and what administrators did stays in
 * the audit log, which is never purged. jobs/retention.ts runs it on a timer.
 */
export async function purgeExpiredSignInData(db: UsersDb, policy: RetentionPolicy) {
  return {
    loginAttempts: await purgeLoginAttempts(db, policy.loginAttemptsRetentionDays),
    refreshTokens: await purgeRefreshTokens(db, policy.refreshTokensRetentionDays),
  };
}
