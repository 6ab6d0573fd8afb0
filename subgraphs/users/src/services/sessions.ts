import { randomUUID } from "node:crypto";
import { errors } from "@asky/runtime";
import { signAccessToken } from "@asky/auth";
import type { UsersContext } from "../context.js";
import type { UsersExecutor } from "../data/db.js";
import { databaseClockMs } from "../data/clock.js";
import {
  familyHasLiveToken,
  findRefreshToken,
  insertRefreshToken,
  lockFamily,
  lockRefreshTokenAndFamily,
  markRefreshTokenUsed,
  revokeFamilyTokens,
  revokeTokens,
  revokeUserTokens,
  rotationAfter,
  usedWithin,
  type RefreshTokenRow,
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
  // Waits for a refresh of the family in flight, so the token it issues is revoked too.
  await lockFamily(tx, familyId);
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

const refused: RefreshOutcome = { kind: "refused" };

/**
 * Rotates a refresh token. A token that was already exchanged means two parties hold the
 * session (most likely a stolen token), so the whole family is revoked and both must sign
 * in again, unless it is a lost answer's retry (see retryOrTheft). That revocation must commit
 * even though the caller gets an error, hence the outcome value instead of throwing inside
 * the transaction.
 */
export async function refreshSession(ctx: UsersContext, token: string): Promise<Session> {
  if (!isPlausibleRefreshToken(token)) throw invalidRefreshToken();
  const outcome = await ctx.db.transaction(async (tx): Promise<RefreshOutcome> => {
    const tokenHash = hashRefreshToken(token);
    const found = await findRefreshToken(tx, tokenHash);
    if (!found) return refused;
    // The user's row first, as password changes and administrators take it before they revoke
    // the user's tokens: in the other order a refresh and a password change of one user would
    // deadlock, and a refresh that waited for the change would issue a token after it. Then
    // the family's lock and the row's: a second refresh, retry or logout of this session waits
    // here until this one commits, then sees what it did.
    await lockUser(tx, found.userId);
    const row = await lockRefreshTokenAndFamily(tx, tokenHash);
    if (!row) return refused;
    if (row.revokedAt !== null) {
      // Revoked while its session lives on: a successor superseded by a lost answer's retry
      // (retryOrTheft). Its answer was not lost after all, so two parties hold the session.
      return (await familyHasLiveToken(tx, row.familyId)) ? theft(tx, ctx, row, row.revokedAt) : refused;
    }
    if (row.usedAt !== null) return retryOrTheft(tx, ctx, row, row.usedAt);
    if (row.expiresAt.getTime() <= Date.now()) return refused;
    const renewed = await renew(tx, ctx, row);
    if (renewed.kind === "renewed") await markRefreshTokenUsed(tx, row.id);
    return renewed;
  });
  if (outcome.kind === "refused") throw invalidRefreshToken();
  return outcome.session;
}

/** Issues the family's next tokens with a fresh viewer from the database (a role or ward change reaches them). */
async function renew(tx: UsersExecutor, ctx: UsersContext, row: RefreshTokenRow): Promise<RefreshOutcome> {
  const user = await lockUser(tx, row.userId);
  if (!user || !user.active) {
    await revokeSession(tx, row.familyId);
    return refused;
  }
  return { kind: "renewed", session: await startSession(tx, ctx, user, row.familyId) };
}

/**
 * An exchanged token presented again. Within REFRESH_REUSE_GRACE_SECONDS of its use, while no
 * token rotation issued after it has been exchanged in turn and one is still live, the answer
 * of that rotation was lost on the way (the client kept the old token): the unused successor
 * is revoked and the session rotates again, so one live token remains. Its access token stays
 * valid until it expires: access_revoked can only take back a whole session (new tokens too)
 * or tokens by issue time across the user's other sessions, and that token was issued with the
 * same claims to the same session, most likely to nobody. Anything else is theft, as without
 * the grace: the family is revoked.
 */
async function retryOrTheft(
  tx: UsersExecutor,
  ctx: UsersContext,
  row: RefreshTokenRow,
  usedAt: Date,
): Promise<RefreshOutcome> {
  const grace = ctx.auth.policy.refreshReuseGraceSeconds;
  if (grace > 0 && row.expiresAt.getTime() > Date.now() && (await usedWithin(tx, row.id, grace))) {
    const after = await rotationAfter(tx, row.id);
    if (!after.anyUsed && after.liveIds.length > 0) {
      const renewed = await renew(tx, ctx, row);
      if (renewed.kind === "renewed") {
        const superseded = await revokeTokens(tx, after.liveIds);
        await recordOwnAudit(tx, ctx, row.userId, auditActions.refreshRetry, {
          sessionId: row.familyId,
          supersededTokens: superseded,
          usedAt: usedAt.toISOString(),
        });
        ctx.logger.info(
          { userId: row.userId, sessionId: row.familyId, ip: ctx.clientIp },
          "rotated refresh token presented again within the grace; rotated again",
        );
      }
      return renewed;
    }
  }
  return theft(tx, ctx, row, usedAt);
}

/**
 * Two parties hold one session: the whole family is revoked and both must sign in again.
 * `usedAt` is when the presented token was spent (exchanged, or superseded by a retry).
 */
async function theft(
  tx: UsersExecutor,
  ctx: UsersContext,
  row: RefreshTokenRow,
  usedAt: Date,
): Promise<RefreshOutcome> {
  const revoked = await revokeSession(tx, row.familyId);
  await recordOwnAudit(tx, ctx, row.userId, auditActions.refreshReuse, {
    sessionId: row.familyId,
    revokedTokens: revoked,
    usedAt: usedAt.toISOString(),
  });
  ctx.logger.warn(
    { userId: row.userId, sessionId: row.familyId, ip: ctx.clientIp },
    "refresh token reused; session revoked",
  );
  return refused;
}

/** Ends the session a refresh token belongs to. False when the token is unknown. */
export async function endSession(ctx: UsersContext, token: string): Promise<boolean> {
  if (!isPlausibleRefreshToken(token)) return false;
  return ctx.db.transaction(async (tx) => {
    const row = await lockRefreshTokenAndFamily(tx, hashRefreshToken(token));
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
