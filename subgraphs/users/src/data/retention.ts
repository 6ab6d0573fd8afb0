import { sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import * as tables from "@asky/db/schema/users";
import type { UsersExecutor } from "./db.js";

const { loginAttempts, refreshTokens } = tables;

/**
 * Deletes rows whose `time` is more than `days` ago, in batches, so a first purge of a large
 * backlog never holds many row locks or runs into the pool's statement timeout.
 */
async function purgeOlderThan(
  db: UsersExecutor,
  table: PgTable,
  id: PgColumn,
  time: PgColumn,
  days: number,
  batchSize: number,
) {
  let total = 0;
  for (;;) {
    const result = await db.execute(sql`
      delete from ${table} where ${id} in (
        select ${id} from ${table} where ${time} < now() - make_interval(days => ${days}) limit ${batchSize})`);
    const deleted = result.rowCount ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** Sign-in attempts recorded more than `days` ago; they only ever served the throttle. */
export const purgeLoginAttempts = (db: UsersExecutor, days: number, batchSize = 5_000): Promise<number> =>
  purgeOlderThan(db, loginAttempts, loginAttempts.id, loginAttempts.at, days, batchSize);

/** Refresh tokens that expired more than `days` ago: refused anyway, whoever presents them. */
export const purgeRefreshTokens = (db: UsersExecutor, days: number, batchSize = 5_000): Promise<number> =>
  purgeOlderThan(db, refreshTokens, refreshTokens.id, refreshTokens.expiresAt, days, batchSize);
