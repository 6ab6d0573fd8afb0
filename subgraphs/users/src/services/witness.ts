import { errors } from "@asky/runtime";
import { mayWitness, type Viewer, type WitnessedStep } from "@asky/contracts";
import { signWitnessToken } from "@asky/auth";
import type { UsersContext } from "../context.js";
import { recordAudit, type AuditDetail } from "../data/audit-log.js";
import type { UsersExecutor } from "../data/db.js";
import { markLoginAttemptSucceeded, reserveLoginAttempt } from "../data/login-attempts.js";
import { findUserByEmail, lockUser, type UserRow } from "../data/users.js";
import { auditActions, type AuditAction } from "../domain/audit-actions.js";
import { hashEmail } from "../domain/login-throttle.js";
import { verifyPassword } from "../domain/passwords.js";
import { witnessRefusals, witnessRefused, type WitnessRefusal } from "../domain/witness-refusals.js";
import type { WitnessRequest } from "../validation/witness-input.js";
import { MAX_PASSWORD_LENGTH, throttleLimits } from "./login.js";

export interface IssuedWitness {
  readonly token: string;
  readonly expiresAt: Date;
  readonly witness: UserRow;
}

type Outcome = { kind: "issued"; issued: IssuedWitness } | { kind: "refused"; reason: WitnessRefusal };

/** Why `witness` may not witness `step` for `actor`, or null when they may. */
function refusalOf(actor: Viewer, witness: UserRow, step: WitnessedStep): WitnessRefusal | null {
  if (witness.id === actor.id) return witnessRefusals.isActor;
  if (!mayWitness(step, witness.role)) return witnessRefusals.roleNotAllowed;
  return null;
}

/**
 * Issues a witness token: a second person confirms, at the actor's device, one step of a
 * controlled substance's custody. Their credentials are checked exactly as `login` checks them
 * (the same throttle rows and limits, keyed by the witness's email and the device's address;
 * the same argon2 check, against a dummy hash for unknown emails; one answer for every kind of
 * wrong credentials), so a witness prompt is no way around the sign-in throttle. A confirmed
 * password clears the account's slate as a sign-in does, even when the witness is then refused
 * for their role: they proved they hold the account.
 */
export async function issueWitnessToken(
  ctx: UsersContext,
  actor: Viewer,
  request: WitnessRequest,
): Promise<IssuedWitness> {
  const audit = (tx: UsersExecutor, action: AuditAction, targetId: string | null, detail: AuditDetail) =>
    recordAudit(tx, {
      action,
      actorId: actor.id,
      targetId,
      detail: { ...detail, ...request.subject },
      ip: ctx.clientIp,
    });

  const reservation = await reserveLoginAttempt(
    ctx.db,
    { emailHash: hashEmail(request.email), ip: ctx.clientIp },
    throttleLimits(ctx.auth.policy),
  );
  if ("retryAfterSeconds" in reservation) {
    ctx.logger.warn({ ip: ctx.clientIp, retryAfterSeconds: reservation.retryAfterSeconds }, "witness throttled");
    throw errors.rateLimited(reservation.retryAfterSeconds);
  }
  const found = request.email.length <= 254 ? await findUserByEmail(ctx.db, request.email) : null;
  const matches =
    request.password.length <= MAX_PASSWORD_LENGTH &&
    (await verifyPassword(found?.passwordHash ?? null, request.password));
  if (!found || !matches || !found.active) {
    const reason = !found ? "unknown_account" : !matches ? "wrong_password" : "inactive_account";
    await audit(ctx.db, auditActions.witnessRefused, found?.id ?? null, { reason });
    throw witnessRefused(witnessRefusals.credentials);
  }

  const outcome = await ctx.db.transaction(async (tx): Promise<Outcome> => {
    // Read again under the row lock, as `login` does: the token must carry the role and ward
    // that hold when it is issued, not those of before a concurrent change.
    const witness = await lockUser(tx, found.id);
    if (!witness || !witness.active) {
      await audit(tx, auditActions.witnessRefused, found.id, { reason: "inactive_account" });
      return { kind: "refused", reason: witnessRefusals.credentials };
    }
    await markLoginAttemptSucceeded(tx, reservation.attemptId);
    const refusal = refusalOf(actor, witness, request.subject.step);
    if (refusal) {
      await audit(tx, auditActions.witnessRefused, witness.id, { reason: refusal, role: witness.role });
      return { kind: "refused", reason: refusal };
    }
    const issued = await signWitnessToken(ctx.auth.signingKey, {
      witness: { id: witness.id, role: witness.role, ward: witness.ward },
      actorId: actor.id,
      subject: request.subject,
    });
    await audit(tx, auditActions.witnessIssued, witness.id, {
      jti: issued.jti,
      expiresAt: issued.expiresAt.toISOString(),
    });
    return { kind: "issued", issued: { token: issued.token, expiresAt: issued.expiresAt, witness } };
  });
  // A refusal after the password checked out still commits its audit entry and the cleared slate.
  if (outcome.kind === "refused") throw witnessRefused(outcome.reason);
  return outcome.issued;
}
