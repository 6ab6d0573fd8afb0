import { and, eq, isNull, ne, sql } from "drizzle-orm";
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
