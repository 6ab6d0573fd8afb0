import { defineEvent } from "./event-contract.js";
import { fieldsOf, instant, nullable, string, uuid, type Reader } from "./fields.js";

export const accessRevokedReasons = ["session_ended", "sessions_ended", "claims_changed"] as const;
export type AccessRevokedReason = (typeof accessRevokedReasons)[number];

/**
 * A reason this reader does not know still revokes: during a rolling upgrade a newer users
 * service may name a new one, and an older gateway must refuse the tokens all the same
 * rather than drop the event (that would fail open).
 */
const reasonOrUnrecognised: Reader<AccessRevokedReason | "unrecognised"> = (value, path) => {
  const reason = string(value, path);
  return (accessRevokedReasons as readonly string[]).includes(reason)
    ? (reason as AccessRevokedReason)
    : "unrecognised";
};

/**
 * `data` of asky.users.access_revoked. Access tokens are stateless for their lifetime
 * (ACCESS_TOKEN_TTL_SECONDS, 30 s to an hour: see access-token.ts in @asky/auth); this
 * event is how every gateway and subgraph replica learns, within a second, that tokens it
 * would otherwise accept must be refused: one session (`sessionId`), or every token of the
 * user issued up to `revokedAt` except those of `exceptSessionId`. `revokedAt` is read on the
 * users database's clock, to the millisecond, like access tokens' `iat_ms`.
 */
export interface AccessRevokedData {
  readonly userId: string;
  readonly sessionId: string | null;
  readonly exceptSessionId: string | null;
  /** ISO-8601. */
  readonly revokedAt: string;
  /** Informational (logs, refusal messages): every reason revokes the same way. */
  readonly reason: AccessRevokedReason | "unrecognised";
}

export const accessRevoked = defineEvent("asky.users.access_revoked", (raw): AccessRevokedData => {
  const field = fieldsOf(raw, "access_revoked");
  return {
    userId: field("userId", uuid),
    sessionId: field("sessionId", nullable(uuid)),
    exceptSessionId: field("exceptSessionId", nullable(uuid)),
    revokedAt: field("revokedAt", instant),
    reason: field("reason", reasonOrUnrecognised),
  };
});
