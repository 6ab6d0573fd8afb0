import { sql } from "drizzle-orm";
import type { UsersExecutor } from "./db.js";

/**
 * Now, in milliseconds, on the database's clock (clock_timestamp(), not the transaction's
 * start). Access tokens' `iat_ms` and revocations' `revokedAt` are both read here, each after
 * the user's row lock: one clock for every users replica, so "issued before the revocation"
 * cannot be turned around by two hosts' clocks disagreeing by a few milliseconds.
 */
export async function databaseClockMs(db: UsersExecutor): Promise<number> {
  const { rows } = await db.execute<{ ms: string }>(
    sql`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint::text as ms`,
  );
  const ms = Number(rows[0]?.ms);
  if (!Number.isSafeInteger(ms)) throw new Error("the database clock answered no time");
  return ms;
}
