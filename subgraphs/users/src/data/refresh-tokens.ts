import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import * as tables from "@asky/db/schema/users";
import type { UsersExecutor } from "./db.js";

const { refreshTokens } = tables;

export type RefreshTokenRow = typeof tables.refreshTokens.$inferSelect;

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
  ip: string | null;
}

export async function insertRefreshToken(tx: UsersExecutor, token: NewRefreshToken): Promise<void> {
  await tx.insert(refreshTokens).values(token);
}

/**
 * Finds a token by hash and locks its row: a second refresh with the same token waits
 * here until the first commits, then sees it used. That is what makes rotation safe
 * under concurrency: at most one of them can succeed.
 */
export async function lockRefreshToken(tx: UsersExecutor, tokenHash: string): Promise<RefreshTokenRow | null> {
  const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for("update");
  return row ?? null;
}

/**
 * Serialises every change to one rotation family (refresh, retry, logout, theft revocation)
 * until the transaction ends. The token's row lock alone is not enough since the reuse grace:
 * a retry with an old token and a refresh with its successor lock different rows, and both
 * would otherwise leave a live token behind.
 */
export async function lockFamily(tx: UsersExecutor, familyId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`refresh:family:${familyId}`}))`);
}

/**
 * Finds a token by hash, locks its family (lockFamily), then its row, always in that order so
 * two family changes never wait on each other crosswise. A token's family never changes, so
 * reading it before the lock is safe; the row is read again under the lock.
 */
export async function lockRefreshTokenAndFamily(tx: UsersExecutor, tokenHash: string): Promise<RefreshTokenRow | null> {
  const found = await findRefreshToken(tx, tokenHash);
  if (!found) return null;
  await lockFamily(tx, found.familyId);
  return lockRefreshToken(tx, tokenHash);
}

/** What rotation issued after a token's use: the family's tokens created at or after `usedAt`. */
export interface RotationAfter {
  /** Some successor was exchanged in turn: its holder is active. */
  readonly anyUsed: boolean;
  /** Successors neither used nor revoked (one at most, while the family is locked for changes). */
  readonly liveIds: readonly string[];
}

/**
 * Read under lockFamily: the successors of used token `id`, i.e. its family's other tokens created
 * at or after its `used_at` (rotation stamps both with one transaction's now()). Compared in
 * SQL: a JavaScript Date would drop the microseconds.
 */
export async function rotationAfter(tx: UsersExecutor, id: string): Promise<RotationAfter> {
  const { rows } = await tx.execute<{ used: boolean; revoked: boolean; id: string }>(sql`
    select successor.id, successor.used_at is not null as used, successor.revoked_at is not null as revoked
    from ${refreshTokens} as successor
    join ${refreshTokens} as used_token on used_token.family_id = successor.family_id
    where used_token.id = ${id} and successor.id <> used_token.id and successor.created_at >= used_token.used_at`);
  return {
    anyUsed: rows.some((row) => row.used),
    liveIds: rows.filter((row) => !row.used && !row.revoked).map((row) => row.id),
  };
}

/** True while token `id` was used less than `graceSeconds` ago, on the database's clock. */
export async function usedWithin(tx: UsersExecutor, id: string, graceSeconds: number): Promise<boolean> {
  const { rows } = await tx.execute<{ within: boolean }>(sql`
    select ${refreshTokens.usedAt} > clock_timestamp() - make_interval(secs => ${graceSeconds}) as within
    from ${refreshTokens} where ${refreshTokens.id} = ${id}`);
  return rows[0]?.within === true;
}

/** Whether the family still has a token neither used nor revoked (its session lives on). */
export async function familyHasLiveToken(tx: UsersExecutor, familyId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .limit(1);
  return row !== undefined;
}

/** Revokes the given tokens only (a retry's superseded successor), not their family. */
export async function revokeTokens(tx: UsersExecutor, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const revoked = await tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(inArray(refreshTokens.id, [...ids]), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return revoked.length;
}

export async function findRefreshToken(db: UsersExecutor, tokenHash: string): Promise<RefreshTokenRow | null> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
  return row ?? null;
}

export async function markRefreshTokenUsed(tx: UsersExecutor, id: string): Promise<void> {
  await tx
    .update(refreshTokens)
    .set({ usedAt: sql`now()` })
    .where(eq(refreshTokens.id, id));
}

/**
 * Revokes every live token of one rotation family (one session). Returns the revoked rows'
 * users: all the same user, or none when the family was already ended.
 */
export async function revokeFamilyTokens(tx: UsersExecutor, familyId: string): Promise<{ userId: string }[]> {
  return tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ userId: refreshTokens.userId });
}

/** Revokes every live token of a user, optionally sparing one family. Returns how many families it ended. */
export async function revokeUserTokens(
  tx: UsersExecutor,
  userId: string,
  exceptFamilyId: string | null,
): Promise<number> {
  const revoked = await tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        exceptFamilyId === null ? undefined : ne(refreshTokens.familyId, exceptFamilyId),
      ),
    )
    .returning({ familyId: refreshTokens.familyId });
  return new Set(revoked.map((row) => row.familyId)).size;
}
