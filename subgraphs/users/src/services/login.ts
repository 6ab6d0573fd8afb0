import { errors, inputText } from "@asky/runtime";
import type { UsersContext } from "../context.js";
import { recordAudit } from "../data/audit-log.js";
import { markLoginAttemptSucceeded, reserveLoginAttempt } from "../data/login-attempts.js";
import { findUserByEmail, lockUser } from "../data/users.js";
import { auditActions } from "../domain/audit-actions.js";
import { hashEmail, type ThrottleLimits } from "../domain/login-throttle.js";
import { verifyPassword } from "../domain/passwords.js";
import { startSession, type Session } from "./sessions.js";
import { recordOwnAudit } from "./own-audit.js";

/** Beyond any password the policy accepts; not worth hashing. */
export const MAX_PASSWORD_LENGTH = 1024;
/** Beyond any address (254); refused before it is throttled on or looked up. */
const MAX_EMAIL_INPUT_LENGTH = 1024;

/** The single answer for every failed sign-in, so it never tells which part was wrong. */
const invalidCredentials = () => errors.unauthenticated("Invalid email or password");

export function throttleLimits(policy: UsersContext["auth"]["policy"]): ThrottleLimits {
  return {
    windowSeconds: policy.loginWindowSeconds,
    maxFailuresPerAccount: policy.loginMaxFailuresPerAccount,
    maxFailuresPerAddress: policy.loginMaxFailuresPerAddress,
  };
}

/**
 * Signs a person in. Throttling comes first and is keyed by the email hash whether or not
 * the account exists; the password is verified even for unknown emails (against a dummy
 * hash) so response time does not reveal whether an account exists; and a deactivated
 * account fails exactly like a wrong password.
 */
export async function login(ctx: UsersContext, emailInput: string, password: string): Promise<Session> {
  // Text no account can have is the client's mistake, whether or not accounts exist, so
  // saying so reveals nothing; and it must not reach the lookup, where Postgres refuses U+0000.
  const email = inputText(emailInput, { argument: "email" }, { max: MAX_EMAIL_INPUT_LENGTH }).toLowerCase();
  const reservation = await reserveLoginAttempt(
    ctx.db,
    { emailHash: hashEmail(email), ip: ctx.clientIp },
    throttleLimits(ctx.auth.policy),
  );
  if ("retryAfterSeconds" in reservation) {
    ctx.logger.warn({ ip: ctx.clientIp, retryAfterSeconds: reservation.retryAfterSeconds }, "sign-in throttled");
    throw errors.rateLimited(reservation.retryAfterSeconds);
  }
  const user = email.length <= 254 ? await findUserByEmail(ctx.db, email) : null;
  const matches =
    password.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(user?.passwordHash ?? null, password));

  if (!user || !matches || !user.active) {
    const reason = !user ? "unknown_account" : !matches ? "wrong_password" : "inactive_account";
    await recordAudit(ctx.db, {
      action: auditActions.loginFailed,
      actorId: null,
      targetId: user?.id ?? null,
      detail: { reason },
      ip: ctx.clientIp,
    });
    throw invalidCredentials();
  }

  return ctx.db.transaction(async (tx) => {
    // Read again under the row lock: the password check took tens of milliseconds, in which an
    // administrator may have changed the role or deactivated the account, and the token must
    // carry what holds when it is issued (sessions.ts, startSession).
    const current = await lockUser(tx, user.id);
    if (!current || !current.active) throw invalidCredentials();
    await markLoginAttemptSucceeded(tx, reservation.attemptId);
    const session = await startSession(tx, ctx, current);
    await recordOwnAudit(tx, ctx, user.id, auditActions.login, { sessionId: session.sessionId });
    return session;
  });
}
