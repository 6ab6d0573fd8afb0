/**
 * REFRESH_REUSE_GRACE_SECONDS: a rotated refresh token presented again soon after its use, while
 * the token its use issued is unused, is a lost answer's retry (the session rotates again, one
 * refresh token stays live); every other reuse is still theft and revokes the session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSubgraph, startReplica, type Replica } from "@asky/stack/testing";
import { hashRefreshToken } from "../src/domain/session-tokens.js";
import {
  LOGIN,
  LOGOUT,
  REFRESH,
  STRONG_PASSWORD,
  auditOf,
  createUser,
  errorCode,
  gql,
  jwtPart,
  login,
  queryUsersDb,
  stack,
  type Session,
} from "./support/users-api.js";

const refresh = (token: string) => gql<{ refreshToken: Session }>(REFRESH, { token });
const ME = `{ me { id } }`;

const sessionIdOf = (session: Session) => String(jwtPart(session.accessToken, 1).sid);

/** The family's tokens neither used nor revoked: the refresh tokens that can still renew the session. */
async function liveTokens(sessionId: string): Promise<number> {
  const [row] = await queryUsersDb<{ live: string }>(
    "select count(*) filter (where used_at is null and revoked_at is null) as live from users.refresh_tokens where family_id = $1",
    [sessionId],
  );
  return Number(row?.live);
}

async function familyRows(sessionId: string) {
  return queryUsersDb<{ id: string; used_at: Date | null; revoked_at: Date | null }>(
    "select id, used_at, revoked_at from users.refresh_tokens where family_id = $1 order by created_at, id",
    [sessionId],
  );
}

/** What the users service answers a gateway that cannot trust its revocation feed about this access token. */
async function sessionStatusOf(session: Session): Promise<unknown> {
  const claims = jwtPart(session.accessToken, 1);
  const url = new URL("/internal/session-status", stack.subgraphUrls.users).toString();
  const token = await asSubgraph("users", null).token();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ userId: claims.sub, sessionId: claims.sid, issuedAtMs: Number(claims.iat_ms) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { status: unknown }).status;
}

/** Which of these refresh tokens are neither used nor revoked (the database keeps their SHA-256). */
async function liveAmong(tokens: readonly string[]): Promise<string[]> {
  const rows = await queryUsersDb<{ token_hash: string }>(
    "select token_hash from users.refresh_tokens where token_hash = any($1) and used_at is null and revoked_at is null",
    [tokens.map(hashRefreshToken)],
  );
  const live = new Set(rows.map((row) => row.token_hash));
  return tokens.filter((token) => live.has(hashRefreshToken(token)));
}

async function renewed(token: string): Promise<Session> {
  const { body } = await refresh(token);
  expect(body.errors, "refresh").toBeUndefined();
  return body.data!.refreshToken;
}

describe("a refresh whose answer was lost", () => {
  it("is retried with the old token within the grace: a working session, one live token", async () => {
    const user = await createUser("NURSE");
    const signedIn = await login(user.email, user.password);
    const sessionId = sessionIdOf(signedIn);
    const lost = await renewed(signedIn.refreshToken); // the answer that never arrived

    const retried = await renewed(signedIn.refreshToken);
    expect(sessionIdOf(retried)).toBe(sessionId);
    expect(retried.refreshToken).not.toBe(lost.refreshToken);
    const me = await gql<{ me: { id: string } }>(ME, {}, { token: retried.accessToken });
    expect(me.body.data?.me.id).toBe(user.id);
    // A gateway whose feed is stale asks the users service: the session lives on.
    expect(await sessionStatusOf(retried)).toBe("active");
    expect(await liveTokens(sessionId)).toBe(1);

    const [retry] = await auditOf(user.id, "auth.refresh_retry");
    expect(JSON.parse(String(retry?.detail))).toMatchObject({ sessionId, supersededTokens: 1 });
    expect(retry?.actor?.id).toBe(user.id);
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(0);

    const next = await renewed(retried.refreshToken);
    expect((await gql<{ me: { id: string } }>(ME, {}, { token: next.accessToken })).body.data?.me.id).toBe(user.id);
    expect(await liveTokens(sessionId)).toBe(1);
  });

  it("may be lost twice: each retry within the grace of the first use supersedes the previous one", async () => {
    const user = await createUser("NURSE");
    const signedIn = await login(user.email, user.password);
    const sessionId = sessionIdOf(signedIn);
    await renewed(signedIn.refreshToken);
    await renewed(signedIn.refreshToken);
    const third = await renewed(signedIn.refreshToken);
    expect(await liveTokens(sessionId)).toBe(1);
    await renewed(third.refreshToken);
    expect(await auditOf(user.id, "auth.refresh_retry")).toHaveLength(2);
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(0);
  });

  it("was not lost after all when the superseded token comes back: two parties hold the session, which ends", async () => {
    // A thief presenting the old token inside the grace takes the session over from its owner,
    // whose successor is superseded; the owner's next refresh with it ends the session for both.
    const user = await createUser("NURSE");
    const signedIn = await login(user.email, user.password);
    const sessionId = sessionIdOf(signedIn);
    const owners = await renewed(signedIn.refreshToken);
    const thiefs = await renewed(signedIn.refreshToken);

    expect(errorCode((await refresh(owners.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect(errorCode((await refresh(thiefs.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect(await liveTokens(sessionId)).toBe(0);
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(1);
    expect(await sessionStatusOf(thiefs)).toBe("revoked");
  });

  it("after logout, an old token is refused and revokes nothing more", async () => {
    const user = await createUser("NURSE");
    const signedIn = await login(user.email, user.password);
    const sessionId = sessionIdOf(signedIn);
    const second = await renewed(signedIn.refreshToken);
    const logout = await gql<{ logout: boolean }>(LOGOUT, { token: second.refreshToken });
    expect(logout.body.errors).toBeUndefined();
    const before = await familyRows(sessionId);
    expect(errorCode((await refresh(second.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect(await familyRows(sessionId)).toEqual(before);
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(0);
  });
});

describe("reuse that is still theft", () => {
  it("revokes the family when the successor was already used (both parties are active)", async () => {
    const user = await createUser("NURSE");
    const signedIn = await login(user.email, user.password);
    const sessionId = sessionIdOf(signedIn);
    const second = await renewed(signedIn.refreshToken);
    const third = await renewed(second.refreshToken);

    expect(errorCode((await refresh(signedIn.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect(errorCode((await refresh(third.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(1);
    expect(await auditOf(user.id, "auth.refresh_retry")).toHaveLength(0);
    expect((await familyRows(sessionId)).every((row) => row.revoked_at !== null)).toBe(true);
    expect(await sessionStatusOf(third)).toBe("revoked");
  });

  it("revokes the family past the grace", async () => {
    const user = await createUser("NURSE");
    const signedIn = await login(user.email, user.password);
    const sessionId = sessionIdOf(signedIn);
    const lost = await renewed(signedIn.refreshToken);
    // An hour ago, as far as the grace can tell: the old token's use and the rotation it made.
    await queryUsersDb(
      `update users.refresh_tokens set used_at = used_at - interval '1 hour', created_at = created_at - interval '1 hour'
       where family_id = $1`,
      [sessionId],
    );

    expect(errorCode((await refresh(signedIn.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect(errorCode((await refresh(lost.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(1);
    expect(await liveTokens(sessionId)).toBe(0);
  });
});

describe("REFRESH_REUSE_GRACE_SECONDS=0", () => {
  let replica: Replica;
  beforeAll(async () => {
    replica = await startReplica("users", { REFRESH_REUSE_GRACE_SECONDS: "0" });
  }, 120_000);
  afterAll(async () => {
    await replica?.stop();
  });

  it("treats any reuse as theft, as before the grace", async () => {
    const user = await createUser("PHARMACIST");
    const client = asSubgraph("users", null, { url: replica.url });
    const signedIn = (await client.ok<{ login: Session }>(LOGIN, { email: user.email, password: user.password })).login;
    const sessionId = sessionIdOf(signedIn);
    const lost = (await client.ok<{ refreshToken: Session }>(REFRESH, { token: signedIn.refreshToken })).refreshToken;

    const replay = await client.call(REFRESH, { token: signedIn.refreshToken });
    expect(errorCode(replay)).toBe("UNAUTHENTICATED");
    expect(errorCode(await client.call(REFRESH, { token: lost.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(await liveTokens(sessionId)).toBe(0);
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(1);
  });
});

describe("concurrent presentations", () => {
  it("of one used token within the grace leave at most one live token, and no internal error", async () => {
    const user = await createUser("NURSE");
    const signedIn = await login(user.email, user.password);
    const sessionId = sessionIdOf(signedIn);
    await renewed(signedIn.refreshToken);

    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(signedIn.refreshToken)));
    expect(results.map((result) => result.status)).toEqual(Array(5).fill(200));
    for (const { body } of results) if (body.errors) expect(errorCode(body)).toBe("UNAUTHENTICATED");
    expect(await liveTokens(sessionId)).toBeLessThanOrEqual(1);
    // They queue on the family's lock, each a retry superseding the one before: the last answer
    // holds the one live token, and only it can go on.
    const answered = results.flatMap(({ body }) => (body.data ? [body.data.refreshToken.refreshToken] : []));
    expect(answered).toHaveLength(5);
    const live = await liveAmong(answered);
    expect(live).toHaveLength(1);
    await renewed(live[0]!);
    // Any of the superseded answers coming back means they reached someone: the session ends.
    const superseded = answered.find((token) => token !== live[0])!;
    expect(errorCode((await refresh(superseded)).body)).toBe("UNAUTHENTICATED");
    expect(await liveTokens(sessionId)).toBe(0);
  });

  it("of the old token and of its successor at once leave at most one live token", async () => {
    const user = await createUser("NURSE");
    // A retry and a refresh lock different rows; only the family's lock orders them. Several
    // rounds, since which one wins the race varies.
    for (let round = 0; round < 5; round++) {
      const signedIn = await login(user.email, user.password);
      const sessionId = sessionIdOf(signedIn);
      const successor = await renewed(signedIn.refreshToken);

      const results = await Promise.all([
        ...Array.from({ length: 3 }, () => refresh(signedIn.refreshToken)),
        refresh(successor.refreshToken),
        ...Array.from({ length: 2 }, () => refresh(signedIn.refreshToken)),
      ]);
      expect(results.map((result) => result.status)).toEqual(Array(6).fill(200));
      for (const { body } of results) if (body.errors) expect(errorCode(body)).toBe("UNAUTHENTICATED");
      expect(await liveTokens(sessionId)).toBeLessThanOrEqual(1);
    }
  });
});

describe("a refresh racing a password change of the same user", () => {
  const CHANGE_PASSWORD = `mutation($current: String!, $next: String!, $keep: String) {
    changePassword(currentPassword: $current, newPassword: $next, refreshToken: $keep)
  }`;

  it("neither deadlocks nor leaves the other session a token issued after the change", async () => {
    // The change locks the user, then revokes the user's other tokens; a refresh takes the same
    // user lock first, so it runs wholly before the change (its token is revoked with the rest)
    // or after it (the token it presents is revoked): never a live token of the other session.
    const user = await createUser("NURSE");
    let password = user.password;
    for (let round = 0; round < 5; round++) {
      const kept = await login(user.email, password);
      const other = await login(user.email, password);
      const next = `${STRONG_PASSWORD}-${round}`;
      const [changed, refreshed] = await Promise.all([
        gql<{ changePassword: boolean }>(
          CHANGE_PASSWORD,
          { current: password, next, keep: kept.refreshToken },
          { token: kept.accessToken },
        ),
        refresh(other.refreshToken),
      ]);
      expect(changed.body.errors, `round ${round}: change`).toBeUndefined();
      if (refreshed.body.errors) expect(errorCode(refreshed.body)).toBe("UNAUTHENTICATED");
      expect(await liveTokens(sessionIdOf(other)), `round ${round}: the other session`).toBe(0);
      expect(await liveTokens(sessionIdOf(kept)), `round ${round}: the kept session`).toBe(1);
      password = next;
    }
  });
});

describe("a REFRESH_REUSE_GRACE_SECONDS outside 0..120", () => {
  it.each(["-1", "121", "1.5", "30s"])(
    "stops the users process at start (%s)",
    async (value) => {
      const started = startReplica("users", { REFRESH_REUSE_GRACE_SECONDS: value });
      await expect(started).rejects.toThrow(/REFRESH_REUSE_GRACE_SECONDS must be an integer/);
    },
    120_000,
  );
});
