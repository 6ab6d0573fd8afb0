import type { UsersContext } from "../context.js";
import { recordAudit, type AuditDetail } from "../data/audit-log.js";
import type { UsersExecutor } from "../data/db.js";
import type { AuditAction } from "../domain/audit-actions.js";

/**
 * Audits what a person did to their own account (signing in or out, a password change, a
 * refresh token used twice): they are both the entry's actor and its target, and the address
 * is the caller's. Pass the transaction of the change, as for `recordAudit`.
 */
export function recordOwnAudit(
  tx: UsersExecutor,
  ctx: UsersContext,
  userId: string,
  action: AuditAction,
  detail: AuditDetail,
): Promise<void> {
  return recordAudit(tx, { action, actorId: userId, targetId: userId, detail, ip: ctx.clientIp });
}
