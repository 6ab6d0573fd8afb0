import { randomUUID } from "node:crypto";
import { errors } from "@asky/runtime";
import { signAccessToken } from "@asky/auth";
import type { UsersContext } from "../context.js";
import type { UsersExecutor } from "../data/db.js";
import { databaseClockMs } from "../data/clock.js";
import {
  findRefreshToken,
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamilyTokens,
  revokeUserTokens,
} from "../data/refresh-tokens.js";
import { lockUser, type UserRow } from "../data/users.js";
import { auditActions } from "../domain/audit-actions.js";
import {
  hashRefreshToken,
  isPlausibleRefreshToken,
  newRefreshToken,
  refreshTokenExpiry,
} from "../domain/session-tokens.js";
import { recordAccessRevoked } from "../outbox/access-revoked.js";
import { recordOwnAudit } from "./own-audit.js";

export interface Session {
  /** The refresh-token family: stable across rotations, the access token's `sid`. */
  sessionId: string;
  accessToken: string;
  expiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserRow;
}

type SessionContext = Pick<UsersContext, "auth" | "clientIp">;

/**
 * Issues an access token and a refresh token for `user`, inside the caller's transaction,
 * which must hold `user`'s row lock (lockUser).
 * The family id names the session: it survives rotation, is the access token's `sid`, and
 * is what logout and reuse detection revoke.
 */
export async function startSession(
  tx: UsersExecutor,
  ctx: SessionContext,
  user: UserRow,
  familyId: string = randomUUID(),
): Promise<Session> {
  const refreshToken = newRefreshToken();
  const refreshTokenExpiresAt = refreshTokenExpiry(ctx.auth.policy.refreshTokenTtlDays);
  await insertRefreshToken(tx, {
    userId: user.id,
    familyId,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: refreshTokenExpiresAt,
    ip: ctx.clientIp,
  });
  // Callers hold the user's row lock, so these claims are current as of this instant: a role
  // change or deactivation either committed before it or is stamped after it.
  const claimsReadAtMs = await databaseClockMs(tx);
  // Signed before commit: if signing failed, no orphan refresh token would remain.
  const access = await signAccessToken(
    ctx.auth.signingKey,
    { id: user.id, role: user.role, ward: user.ward },
    familyId,
    claimsReadAtMs,
    ctx.auth.policy.accessTokenTtlSeconds,
  );
  return {
    sessionId: familyId,
    accessToken: access.token,
    expiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt,
    user,
  };
}

/**
 * Ends one session (every token of its rotation family) and tells the gateways, in the same
 * transaction, to refuse its access tokens too. Returns how many tokens it revoked.
 */
export async function revokeSession(tx: UsersExecutor, familyId: string): Promise<number> {
  const revoked = await revokeFamilyTokens(tx, familyId);
  const [first] = revoked;
  if (first) {
    const revocation = {
      userId: first.userId,
      sessionId: familyId,
      exceptSessionId: null,
      reason: "session_ended",
    } as const;
    await recordAccessRevoked(tx, revocation);
  }
  return revoked.length;
}

/**
 * Ends every session of a user, optionally sparing one, and tells the gateways to refuse the
 * user's other access tokens already issued (even when no refresh token was live: access
 * tokens are refused either way). Returns how many sessions it ended.
 */
export async function revokeUserSessions(
  tx: UsersExecutor,
  userId: string,
  exceptFamilyId: string | null = null,
): Promise<number> {
  const ended = await revokeUserTokens(tx, userId, exceptFamilyId);
  const revocation = { userId, sessionId: null, exceptSessionId: exceptFamilyId, reason: "sessions_ended" } as const;
  await recordAccessRevoked(tx, revocation);
  return ended;
}

const invalidRefreshToken = () => errors.unauthenticated("Invalid or expired refresh token");

type RefreshOutcome = { kind: "renewed"; session: Session } | { kind: "refused" };

/**
 * Rotates a refresh token. A token that was already exchanged means two parties hold the
 * session (most likely a stolen token), so the whole family is revoked and both must sign
 * in again. That revocation must commit even though the caller gets an error, hence the
 * outcome value instead of throwing inside the transaction.
 */
export async function refreshSession(ctx: UsersContext, token: string): Promise<Session> {
  if (!isPlausibleRefreshToken(token)) throw invalidRefreshToken();
  const outcome = await ctx.db.transaction(async (tx): Promise<RefreshOutcome> => {
    const row = await lockRefreshToken(tx, hashRefreshToken(token));
    if (!row || row.revokedAt !== null) return { kind: "refused" };
    if (row.usedAt !== null) {
      const revoked = await revokeSession(tx, row.familyId);
      await recordOwnAudit(tx, ctx, row.userId, auditActions.refreshReuse, {
        sessionId: row.familyId,
        revokedTokens: revoked,
        usedAt: row.usedAt.toISOString(),
      });
      ctx.logger.warn(
        { userId: row.userId, sessionId: row.familyId, ip: ctx.clientIp },
        "refresh token reused; session revoked",
      );
      return { kind: "refused" };
    }
    if (row.expiresAt.getTime() <= Date.now()) return { kind: "refused" };
    const user = await lockUser(tx, row.userId);
    if (!user || !user.active) {
      await revokeSession(tx, row.familyId);
      return { kind: "refused" };
    }
    await markRefreshTokenUsed(tx, row.id);
    // A fresh viewer from the database: a role or ward change reaches the new access token.
    return { kind: "renewed", session: await startSession(tx, ctx, user, row.familyId) };
  });
  if (outcome.kind === "refused") throw invalidRefreshToken();
  return outcome.session;
}

/** Ends the session a refresh token belongs to. False when the token is unknown. */
export async function endSession(ctx: UsersContext, token: string): Promise<boolean> {
  if (!isPlausibleRefreshToken(token)) return false;
  return ctx.db.transaction(async (tx) => {
    const row = await lockRefreshToken(tx, hashRefreshToken(token));
    if (!row) return false;
    const revoked = await revokeSession(tx, row.familyId);
    if (revoked > 0) {
      await recordOwnAudit(tx, ctx, row.userId, auditActions.logout, { sessionId: row.familyId });
    }
    return true;
  });
}

/** The session id of a live refresh token of `userId`, or null (a token of someone else counts as none). */
export async function liveSessionOf(
  ctx: UsersContext,
  userId: string,
  token: string | null | undefined,
): Promise<string | null> {
  if (!token || !isPlausibleRefreshToken(token)) return null;
  const row = await findRefreshToken(ctx.db, hashRefreshToken(token));
  const live =
    row &&
    row.userId === userId &&
    row.revokedAt === null &&
    row.usedAt === null &&
    row.expiresAt.getTime() > Date.now();
  return live ? row.familyId : null;
}
