import type { Closeable, Logger } from "@asky/runtime";
import { startHourlyPurge } from "@asky/service";
import type { UsersDb } from "../data/db.js";
import { purgeExpiredSignInData, type RetentionPolicy } from "../services/retention.js";

/**
 * Every sign-in writes a login attempt and every refresh a token row; without a purge both
 * tables grow for as long as the hospital runs.
 */
export function startRetention(db: UsersDb, policy: RetentionPolicy, logger: Logger): Closeable {
  return startHourlyPurge(
    {
      name: "retention",
      purge: async () => {
        const deleted = await purgeExpiredSignInData(db, policy);
        return deleted.loginAttempts + deleted.refreshTokens;
      },
      purged: "purged expired sign-in data",
    },
    logger,
  );
}
