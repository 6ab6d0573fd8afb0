import type { Closeable, Logger } from "@asky/common";
import type { UsersDb } from "../data/db.js";
import { purgeLoginAttempts, purgeRefreshTokens } from "../data/retention.js";

export interface RetentionPolicy {
  readonly loginAttemptsRetentionDays: number;
  readonly refreshTokensRetentionDays: number;
}

const HOUR_MS = 60 * 60 * 1000;

/** One pass: what it deleted, per table. */
export async function purgeExpiredSignInData(db: UsersDb, policy: RetentionPolicy) {
  return {
    loginAttempts: await purgeLoginAttempts(db, policy.loginAttemptsRetentionDays),
    refreshTokens: await purgeRefreshTokens(db, policy.refreshTokensRetentionDays),
  };
}

/**
 * Every sign-in writes a login attempt and every refresh a token row; without a purge both
 * tables grow for as long as the hospital runs. Each replica purges a minute after start and
 * then hourly: the deletes are idempotent, so replicas racing each other only repeat work.
 * Who signed in and what administrators did stays in the audit log, which is never purged.
 */
export function startRetention(db: UsersDb, policy: RetentionPolicy, logger: Logger): Closeable {
  const log = logger.child({ component: "retention" });
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = purgeExpiredSignInData(db, policy).then(
      (deleted) => {
        if (deleted.loginAttempts + deleted.refreshTokens > 0) log.info({ deleted }, "purged expired sign-in data");
      },
      (error: unknown) => log.warn({ err: error }, "could not purge expired sign-in data; will retry"),
    );
  };
  const first = setTimeout(pass, 60_000);
  const hourly = setInterval(pass, HOUR_MS);
  first.unref();
  hourly.unref();
  return {
    async close() {
      clearTimeout(first);
      clearInterval(hourly);
      await running;
    },
  };
}
