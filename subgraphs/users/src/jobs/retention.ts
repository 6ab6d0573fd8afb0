import type { Closeable, Logger } from "@asky/runtime";
import type { UsersDb } from "../data/db.js";
import { purgeExpiredSignInData, type RetentionPolicy } from "../services/retention.js";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Every sign-in writes a login attempt and every refresh a token row; without a purge both
 * tables grow for as long as the hospital runs. Each replica purges a minute after start and
 * then hourly: the deletes are idempotent, so replicas racing each other only repeat work.
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
