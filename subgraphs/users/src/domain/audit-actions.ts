/**
 * Every action the users service writes to its audit log. One list, so an administrator
 * filtering `auditLog(action: ...)` and the code writing entries spell them the same way.
 */
export const auditActions = {
  login: "user.login",
  loginFailed: "user.login_failed",
  logout: "user.logout",
  create: "user.create",
  update: "user.update",
  roleChange: "user.role_change",
  deactivate: "user.deactivate",
  reactivate: "user.reactivate",
  passwordChange: "user.password_change",
  passwordChangeFailed: "user.password_change_failed",
  passwordReset: "user.password_reset",
  refreshReuse: "auth.refresh_reuse",
  /**
   * A rotated refresh token presented again within the reuse grace while the token it was
   * exchanged for was still unused: the answer of a refresh was lost, not stolen, so that
   * successor was revoked and the session rotated again.
   */
  refreshRetry: "auth.refresh_retry",
  /** A witness token was issued: the actor asked, the target witnessed. */
  witnessIssued: "witness.issued",
  /** A witness confirmation was refused (credentials, role, or the actor as witness). */
  witnessRefused: "witness.refused",
} as const;

export type AuditAction = (typeof auditActions)[keyof typeof auditActions];
