import { appendEvent, createEnvelope, eventSubjects } from "@asky/common";
import { outbox } from "@asky/db/schema/users";
import { databaseClockMs } from "../data/clock.js";
import type { UsersExecutor } from "../data/db.js";

export const ACCESS_REVOKED_SUBJECT = eventSubjects.accessRevoked;

/**
 * `data` of asky.users.access_revoked. Access tokens are stateless for fifteen minutes;
 * this event is how every gateway replica learns, within a second, that tokens it would
 * otherwise accept must be refused: one session (`sessionId`), or every token of the user
 * issued up to `revokedAt` except those of `exceptSessionId`. `revokedAt` is read on the
 * database clock, to the millisecond, like access tokens' `iat_ms` (see databaseClockMs).
 */
export interface AccessRevokedData {
  userId: string;
  sessionId: string | null;
  exceptSessionId: string | null;
  revokedAt: string;
  reason: "session_ended" | "sessions_ended" | "claims_changed";
}

export async function recordAccessRevoked(tx: UsersExecutor, data: Omit<AccessRevokedData, "revokedAt">): Promise<void> {
  const revokedAt = new Date(await databaseClockMs(tx)).toISOString();
  const envelope = createEnvelope(ACCESS_REVOKED_SUBJECT, { ...data, revokedAt });
  await appendEvent(tx, outbox, envelope);
}
