import { revocationApplies, toRevocation, type SessionStatus, type SessionStatusQuery } from "@asky/auth";
import { type Logger } from "@asky/runtime";
import { accessRevoked } from "@asky/contracts";
import type { UsersExecutor } from "../data/db.js";
import { sessionFacts } from "../data/revocations.js";

/**
 * Whether an access token may still act, decided from Postgres alone: what a gateway asks when
 * it cannot prove its revocation feed complete. The events are judged by the rule the gateways
 * apply to the feed (revocationApplies), so both paths give the same answer; the account and
 * the session's refresh tokens are checked as well, which needs no event at all.
 */
export async function sessionStatus(
  db: UsersExecutor,
  query: SessionStatusQuery,
  logger: Logger,
): Promise<SessionStatus> {
  const facts = await sessionFacts(db, query);
  if (facts.active !== true) return { status: "revoked", reason: "deactivated" };
  if (query.sessionId !== null) {
    if (facts.sessionRevoked === null) return { status: "revoked", reason: "session_unknown" };
    if (facts.sessionRevoked) return { status: "revoked", reason: "session_ended" };
  }
  const token = { viewer: { id: query.userId }, sessionId: query.sessionId, issuedAtMs: query.issuedAtMs };
  for (const raw of facts.revocations) {
    try {
      const data = accessRevoked.parseData(raw);
      if (!revocationApplies(toRevocation(data), token)) continue;
      // A reason newer than this code is answered as the widest one: the asker then refuses
      // every token of the account up to this one, never fewer.
      return { status: "revoked", reason: data.reason === "unrecognised" ? "claims_changed" : data.reason };
    } catch (error) {
      // Written by this service, so never expected; refusing is the safe reading of it.
      logger.error({ err: error, userId: query.userId }, "unreadable access revocation in the outbox");
      return { status: "revoked", reason: "sessions_ended" };
    }
  }
  return { status: "active" };
}
