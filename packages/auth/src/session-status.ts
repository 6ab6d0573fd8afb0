import { isUuid } from "@asky/contracts";

/**
 * The users service's internal answer to "may this access token still act?", asked by a
 * gateway whose revocation feed is not proven current (NATS down, stalled or restarting).
 * Only gateways may ask (internal token, audience `users`); clients never reach it.
 */
export const SESSION_STATUS_PATH = "/internal/session-status";

export interface SessionStatusQuery {
  readonly userId: string;
  readonly sessionId: string | null;
  /** The token's VerifiedAccessToken.issuedAtMs. */
  readonly issuedAtMs: number;
}

export type SessionRevokedReason =
  "deactivated" | "session_ended" | "session_unknown" | "sessions_ended" | "claims_changed";

export type SessionStatus =
  { readonly status: "active" } | { readonly status: "revoked"; readonly reason: SessionRevokedReason };

const revokedReasons: readonly SessionRevokedReason[] = [
  "deactivated",
  "session_ended",
  "session_unknown",
  "sessions_ended",
  "claims_changed",
];

export function parseSessionStatusQuery(raw: unknown): SessionStatusQuery | null {
  if (typeof raw !== "object" || raw === null) return null;
  const { userId, sessionId, issuedAtMs } = raw as Record<string, unknown>;
  if (!isUuid(userId) || !(sessionId === null || isUuid(sessionId))) return null;
  if (typeof issuedAtMs !== "number" || !Number.isSafeInteger(issuedAtMs) || issuedAtMs < 0) return null;
  return { userId, sessionId, issuedAtMs };
}

export function parseSessionStatus(raw: unknown): SessionStatus | null {
  if (typeof raw !== "object" || raw === null) return null;
  const { status, reason } = raw as Record<string, unknown>;
  if (status === "active") return { status };
  if (status === "revoked" && (revokedReasons as readonly unknown[]).includes(reason))
    return { status, reason: reason as SessionRevokedReason };
  return null;
}
