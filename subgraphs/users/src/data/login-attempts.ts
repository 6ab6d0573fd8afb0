import { and, count, eq, gt, max, sql, type SQL } from "drizzle-orm";
import * as tables from "@asky/db/schema/users";
import type { UsersDb, UsersExecutor } from "./db.js";
import { throttleDelay, type FailureWindow, type ThrottleLimits } from "../domain/login-throttle.js";

const { loginAttempts } = tables;

export interface AttemptKey {
  /** SHA-256 of the normalized email: failed sign-ins must not keep raw addresses. */
  readonly emailHash: string;
  readonly ip: string;
}

export type Reservation = { readonly attemptId: string } | { readonly retryAfterSeconds: number };

/** Failures matching `match` after `since`, and how long until the oldest of them leaves the window. */
async function failures(tx: UsersExecutor, match: SQL, since: SQL, windowSeconds: number): Promise<FailureWindow> {
  const [row] = await tx
    .select({
      failures: count(),
      retryAfterSeconds: sql<number>`ceil(extract(epoch from (min(${loginAttempts.at}) + make_interval(secs => ${windowSeconds}) - now())))::int`,
    })
    .from(loginAttempts)
    .where(and(match, eq(loginAttempts.success, false), gt(loginAttempts.at, since)));
  return { failures: row?.failures ?? 0, retryAfterSeconds: row?.retryAfterSeconds ?? 0 };
}

/**
 * Checks the throttle and, if the attempt may proceed, records it as a failure up front
 * (turned into a success once the password checks out). Advisory locks on the account and
 * the address serialize the check-and-record, so a burst of parallel guesses is counted
 * one by one instead of all reading "0 failures so far".
 */
export async function reserveLoginAttempt(db: UsersDb, key: AttemptKey, limits: ThrottleLimits): Promise<Reservation> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:account:${key.emailHash}`}))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:address:${key.ip}`}))`);
    const windowStart = sql`now() - make_interval(secs => ${limits.windowSeconds})`;
    // A successful sign-in wipes the account's slate, so a nurse who mistyped four times
    // this morning is not one typo away from a lock-out all afternoon.
    const lastSuccess = tx
      .select({ at: max(loginAttempts.at) })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.emailHash, key.emailHash), eq(loginAttempts.success, true)));
    const accountStart = sql`greatest(${windowStart}, coalesce((${lastSuccess}), '-infinity'::timestamptz))`;
    const account = await failures(tx, eq(loginAttempts.emailHash, key.emailHash), accountStart, limits.windowSeconds);
    const address = await failures(tx, eq(loginAttempts.ip, key.ip), windowStart, limits.windowSeconds);
    const delay = throttleDelay(account, address, limits);
    if (delay !== null) return { retryAfterSeconds: delay };
    const [row] = await tx
      .insert(loginAttempts)
      .values({ emailHash: key.emailHash, ip: key.ip, success: false })
      .returning({ id: loginAttempts.id });
    if (!row) throw new Error("login attempt insert returned no row");
    return { attemptId: row.id };
  });
}

export async function markLoginAttemptSucceeded(tx: UsersExecutor, attemptId: string): Promise<void> {
  await tx.update(loginAttempts).set({ success: true }).where(eq(loginAttempts.id, attemptId));
}
