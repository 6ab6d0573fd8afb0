import { errors, invalidField } from "@asky/runtime";
import { type Viewer } from "@asky/contracts";
import type { UsersContext } from "../context.js";
import { markLoginAttemptSucceeded, reserveLoginAttempt } from "../data/login-attempts.js";
import { lockUser, setPasswordHash } from "../data/users.js";
import { auditActions } from "../domain/audit-actions.js";
import { hashEmail } from "../domain/login-throttle.js";
import { hashPassword, verifyPassword } from "../domain/passwords.js";
import { checkPassword } from "../validation/index.js";
import { throttleLimits } from "./login.js";
import { liveSessionOf, revokeUserSessions } from "./sessions.js";
import { recordOwnAudit } from "./own-audit.js";

/**
 * Changes the viewer's own password. The current password is required (a borrowed,
 * unlocked workstation must not be enough to take the account over) and wrong guesses
 * count against the same throttle as sign-ins. Every other session ends; the current session
 * (or the one of `keepRefreshToken`, if it is the viewer's and live) stays signed in.
 */
export async function changeOwnPassword(
  ctx: UsersContext,
  viewer: Viewer,
  currentPassword: string,
  newPassword: string,
  keepRefreshToken: string | null | undefined,
): Promise<boolean> {
  const user = await ctx.loaders.user.load(viewer.id);
  if (!user) throw errors.unauthenticated();
  const reservation = await reserveLoginAttempt(
    ctx.db,
    { emailHash: hashEmail(user.email), ip: ctx.clientIp },
    throttleLimits(ctx.auth.policy),
  );
  if ("retryAfterSeconds" in reservation) throw errors.rateLimited(reservation.retryAfterSeconds);

  if (currentPassword.length > 1024 || !(await verifyPassword(user.passwordHash, currentPassword))) {
    await recordOwnAudit(ctx.db, ctx, user.id, auditActions.passwordChangeFailed, {});
    throw invalidField("currentPassword", "Current password is incorrect");
  }
  checkPassword(newPassword, { email: user.email, cpf: user.cpf }, "newPassword");
  if (await verifyPassword(user.passwordHash, newPassword)) {
    throw invalidField("newPassword", "New password must differ from the current one");
  }
  const passwordHash = await hashPassword(newPassword);
  // The session making the change stays signed in (the gateway forwards its id from the
  // access token); every other session ends. A refresh token, when given, names it instead.
  const keep = (await liveSessionOf(ctx, user.id, keepRefreshToken)) ?? ctx.identity.sessionId;

  await ctx.db.transaction(async (tx) => {
    // Serializes with an administrator deactivating or resetting this account meanwhile.
    const locked = await lockUser(tx, user.id);
    if (!locked || !locked.active) throw errors.unauthenticated();
    await markLoginAttemptSucceeded(tx, reservation.attemptId);
    await setPasswordHash(tx, user.id, passwordHash);
    const revokedSessions = await revokeUserSessions(tx, user.id, keep);
    await recordOwnAudit(tx, ctx, user.id, auditActions.passwordChange, {
      revokedSessions,
      keptSession: keep !== null,
    });
  });
  return true;
}
