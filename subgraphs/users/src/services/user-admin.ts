import { refuseSystemAccount } from "../access.js";
import { errors } from "@asky/runtime";
import { type Viewer } from "@asky/contracts";
import type { UsersContext } from "../context.js";
import type { UsersExecutor } from "../data/db.js";
import { recordAudit, type AuditRecord } from "../data/audit-log.js";
import { insertUser, lockUser, setPasswordHash, updateUserColumns, type UserRow } from "../data/users.js";
import { auditActions } from "../domain/audit-actions.js";
import { hashPassword } from "../domain/passwords.js";
import { planUserUpdate, type UserProfile } from "../domain/user-changes.js";
import type { CreateUserInput, UpdateUserInput } from "../generated/resolvers-types.js";
import { recordAccessRevoked } from "../outbox/access-revoked.js";
import { authorizeUserUpdate } from "../access.js";
import { checkPassword, checkRoleWard, validateNewUser, validateUserUpdate } from "../validation/index.js";
import { revokeUserSessions } from "./sessions.js";

const profileOf = ({ nickname, fullName, email, phone, cpf, role, ward, active }: UserRow): UserProfile => ({
  nickname,
  fullName,
  email,
  phone,
  cpf,
  role,
  ward,
  active,
});

type Audit = Omit<AuditRecord, "actorId" | "ip">;

function auditor(tx: UsersExecutor, ctx: UsersContext, actor: Viewer) {
  return (entry: Audit) => recordAudit(tx, { ...entry, actorId: actor.id, ip: ctx.clientIp });
}

export async function createUser(ctx: UsersContext, actor: Viewer, input: CreateUserInput): Promise<UserRow> {
  const { profile, password } = validateNewUser(input);
  // Hashing takes tens of milliseconds: done before the transaction, not while it holds locks.
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const row = await insertUser(tx, { ...profile, passwordHash });
    await auditor(
      tx,
      ctx,
      actor,
    )({
      action: auditActions.create,
      targetId: row.id,
      detail: { email: row.email, role: row.role, ward: row.ward },
    });
    return row;
  });
}

/**
 * Applies an update in one transaction with the row locked: the audit entries (a diff of
 * what changed, plus dedicated entries for role changes, (de)activation and password
 * resets) commit with the change or not at all.
 */
export async function updateUser(
  ctx: UsersContext,
  actor: Viewer,
  id: string,
  input: UpdateUserInput,
): Promise<UserRow> {
  authorizeUserUpdate(actor, id, input);
  const { patch, password } = validateUserUpdate(input);
  return ctx.db.transaction(async (tx) => {
    const current = await lockUser(tx, id);
    if (!current) throw errors.notFound("User", id);
    const plan = planUserUpdate(profileOf(current), patch);
    checkRoleWard(plan.next.role, plan.next.ward);
    if (password !== null) checkPassword(password, { email: plan.next.email, cpf: plan.next.cpf });
    const changed = Object.keys(plan.columns).length > 0;
    if (!changed && password === null) return current;

    let row = changed ? await updateUserColumns(tx, id, plan.columns) : current;
    if (password !== null) row = await setPasswordHash(tx, id, await hashPassword(password));
    // A deactivated account or a reset password must not leave any session alive.
    const endSessions = plan.columns.active === false || password !== null;
    const revokedSessions = endSessions ? await revokeUserSessions(tx, id) : 0;
    // Access tokens carry role and ward: after a change, tokens issued before it must not
    // act with the old ones (the sessions survive; a refresh issues corrected tokens).
    if (!endSessions && (plan.columns.role !== undefined || plan.columns.ward !== undefined)) {
      await recordAccessRevoked(tx, { userId: id, sessionId: null, exceptSessionId: null, reason: "claims_changed" });
    }

    const audit = auditor(tx, ctx, actor);
    if (changed) await audit({ action: auditActions.update, targetId: id, detail: { changes: plan.changes } });
    if (plan.columns.role !== undefined) {
      await audit({
        action: auditActions.roleChange,
        targetId: id,
        detail: { from: current.role, to: plan.columns.role },
      });
    }
    if (plan.columns.active !== undefined) {
      const action = plan.columns.active ? auditActions.reactivate : auditActions.deactivate;
      await audit({ action, targetId: id, detail: plan.columns.active ? {} : { revokedSessions } });
    }
    if (password !== null)
      await audit({ action: auditActions.passwordReset, targetId: id, detail: { revokedSessions } });
    return row;
  });
}

/** deleteUser: deactivates (the row stays, so history keeps naming them) and ends every session. */
export async function deactivateUser(ctx: UsersContext, actor: Viewer, id: string): Promise<UserRow> {
  refuseSystemAccount(id);
  if (actor.id === id) throw errors.forbidden("Administrators cannot deactivate themselves: ask another administrator");
  return ctx.db.transaction(async (tx) => {
    const current = await lockUser(tx, id);
    if (!current) throw errors.notFound("User", id);
    if (!current.active) return current;
    const row = await updateUserColumns(tx, id, { active: false });
    const revokedSessions = await revokeUserSessions(tx, id);
    await auditor(tx, ctx, actor)({ action: auditActions.deactivate, targetId: id, detail: { revokedSessions } });
    return row;
  });
}
