import { sql } from "drizzle-orm";
import * as tables from "@asky/db/schema/users";
import { eventSubjects } from "@asky/contracts";
import { type SessionStatusQuery } from "@asky/auth";
import type { UsersExecutor } from "./db.js";

const { outbox, refreshTokens, users } = tables;

/** True while an access revocation is committed but not yet in the stream. */
export async function hasUnpublishedRevocation(db: UsersExecutor): Promise<boolean> {
  // The relay's partial index on unpublished rows keeps this a lookup, however long the outbox.
  const { rows } = await db.execute<{ pending: boolean }>(sql`
    select exists (
      select 1 from ${outbox} where ${outbox.publishedAt} is null and ${outbox.subject} = ${eventSubjects.accessRevoked}
    ) as pending`);
  return rows[0]?.pending === true;
}

export interface SessionFacts {
  /** Null when no such user. */
  readonly active: boolean | null;
  /**
   * Null when the session has no refresh token row (or the token has no session). True when
   * every token of the family is revoked: ending a session revokes them all at once (under the
   * family's lock), while a lost answer's retry revokes only the superseded successor and the
   * session lives on.
   */
  readonly sessionRevoked: boolean | null;
  /** `data` of every access revocation of the user that may postdate the token. */
  readonly revocations: readonly unknown[];
}

/**
 * Everything that can end an access token's right to act, in one statement: the account, the
 * session's refresh tokens, and the user's revocation events from the outbox (published or not).
 * An event that applies was stamped at or after the token's `iat_ms` and published later still,
 * so only rows published since then (with a minute's slack) or unpublished are read: both
 * through the outbox's indexes on `published_at`.
 */
export async function sessionFacts(db: UsersExecutor, query: SessionStatusQuery): Promise<SessionFacts> {
  const since = new Date(query.issuedAtMs - 60_000);
  const { rows } = await db.execute<{
    active: boolean | null;
    session_revoked: boolean | null;
    revocations: unknown[];
  }>(sql`
    select
      (select ${users.active} from ${users} where ${users.id} = ${query.userId}) as active,
      (select bool_and(${refreshTokens.revokedAt} is not null) from ${refreshTokens}
        where ${refreshTokens.familyId} = ${query.sessionId}) as session_revoked,
      (select coalesce(json_agg(${outbox.payload} -> 'data'), '[]'::json) from ${outbox}
        where ${outbox.subject} = ${eventSubjects.accessRevoked}
          and (${outbox.publishedAt} is null or ${outbox.publishedAt} >= ${since})
          and ${outbox.payload} -> 'data' ->> 'userId' = ${query.userId}) as revocations`);
  const row = rows[0];
  return {
    active: row?.active ?? null,
    sessionRevoked: row?.session_revoked ?? null,
    revocations: row?.revocations ?? [],
  };
}
