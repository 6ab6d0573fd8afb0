import { describe, expect, it } from "vitest";
import {
  DEMO_PASSWORD,
  LOGIN,
  LOGOUT,
  REFRESH,
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

const demoAccounts = [
  ["admin@asky.dev", "ADMIN", null],
  ["pharmacist@asky.dev", "PHARMACIST", null],
  ["tech@asky.dev", "PHARMACY_TECHNICIAN", null],
  ["nurse@asky.dev", "NURSE", "UTI-ADULTO"],
  ["nurse.peds@asky.dev", "NURSE", "PEDIATRIA"],
] as const;

const jwksUrl = () => new URL("/.well-known/jwks.json", stack.subgraphUrls.users).toString();

describe("login", () => {
  it.each(demoAccounts)("signs in %s as %s and the token works at the gateway", async (email, role, ward) => {
    const session = await login(email, DEMO_PASSWORD);
    expect(session.user).toMatchObject({ email, role, ward });
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(session.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const me = await gql<{ me: { email: string; role: string } }>(
      `{ me { email role } }`,
      {},
      { token: session.accessToken },
    );
    expect(me.body.data?.me).toEqual({ email, role });
  });

  it("issues ES256 access tokens whose kid is published in the JWKS, without private parts", async () => {
    const session = await login("nurse@asky.dev", DEMO_PASSWORD);
    const header = jwtPart(session.accessToken, 0);
    const claims = jwtPart(session.accessToken, 1);
    expect(header).toMatchObject({ alg: "ES256", typ: "JWT" });
    expect(claims).toMatchObject({
      iss: "asky-users",
      aud: "asky-api",
      sub: session.user.id,
      role: "NURSE",
      ward: "UTI-ADULTO",
      token_use: "access",
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(15 * 60);

    const response = await fetch(jwksUrl());
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(key).not.toHaveProperty("d");
    }
  });

  it("stores passwords as argon2id hashes", async () => {
    const user = await createUser("PHARMACIST");
    const rows = await queryUsersDb<{ password_hash: string }>("select password_hash from users.users where id = $1", [
      user.id,
    ]);
    expect(rows[0]?.password_hash.startsWith("$argon2id$")).toBe(true);
    expect(rows[0]?.password_hash).not.toContain(user.password);
  });

  it("answers a wrong password and an unknown email identically, and audits both", async () => {
    const user = await createUser("PHARMACY_TECHNICIAN");
    const wrongPassword = await gql(LOGIN, { email: user.email, password: "not-the-right-password" });
    const unknownEmail = await gql(LOGIN, {
      email: `nobody.${user.id}@test.asky.dev`,
      password: "not-the-right-password",
    });
    expect(wrongPassword.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(wrongPassword.body.errors?.[0]?.message).toBe("Invalid email or password");
    expect(unknownEmail.body.errors).toEqual(wrongPassword.body.errors);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.body.data).toEqual(wrongPassword.body.data);

    const failed = await auditOf(user.id, "user.login_failed");
    expect(failed[0]).toMatchObject({ action: "user.login_failed", target: { id: user.id } });
    expect(JSON.parse(failed[0]!.detail!)).toEqual({ reason: "wrong_password" });
    expect(failed[0]!.ip).toEqual(expect.any(String));
    expect(failed[0]!.detail).not.toContain("not-the-right-password");
  });

  it("accepts the email in any case and with surrounding spaces", async () => {
    const session = await login("  Pharmacist@ASKY.dev ", DEMO_PASSWORD);
    expect(session.user.email).toBe("pharmacist@asky.dev");
  });
});

describe("refresh tokens", () => {
  const refresh = (token: string) => gql<{ refreshToken: Session }>(REFRESH, { token });

  it("rotates on every use and keeps only a hash in the database", async () => {
    const user = await createUser("NURSE");
    const first = await login(user.email, user.password);
    const second = await refresh(first.refreshToken);
    expect(second.body.errors).toBeUndefined();
    const renewed = second.body.data!.refreshToken;
    expect(renewed.refreshToken).not.toBe(first.refreshToken);
    expect(renewed.user.id).toBe(user.id);
    expect(jwtPart(renewed.accessToken, 1).sid).toBe(jwtPart(first.accessToken, 1).sid);

    const rows = await queryUsersDb<{ token_hash: string; used_at: Date | null; family_id: string }>(
      "select token_hash, used_at, family_id from users.refresh_tokens where user_id = $1 order by created_at",
      [user.id],
    );
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((row) => row.family_id)).size).toBe(1);
    expect(rows[0]?.used_at).not.toBeNull();
    expect(rows[1]?.used_at).toBeNull();
    const hashes = rows.map((row) => row.token_hash).join(" ");
    expect(hashes).not.toContain(first.refreshToken);
    expect(hashes).not.toContain(renewed.refreshToken);
  });

  it("revokes the whole family when a rotated token is presented again after its successor was used", async () => {
    const user = await createUser("NURSE");
    const first = await login(user.email, user.password);
    const used = (await refresh(first.refreshToken)).body.data!.refreshToken;
    // Within the reuse grace an unused successor would make this a lost answer's retry
    // (refresh-grace.integration.test.ts); a used one means two parties hold the session.
    const second = (await refresh(used.refreshToken)).body.data!.refreshToken;

    const replay = await refresh(first.refreshToken);
    expect(errorCode(replay.body)).toBe("UNAUTHENTICATED");
    // The legitimate holder's newer token is dead too: both parties must sign in again.
    expect(errorCode((await refresh(second.refreshToken)).body)).toBe("UNAUTHENTICATED");

    const reuse = await auditOf(user.id, "auth.refresh_reuse");
    expect(reuse).toHaveLength(1);
    const revoked = await queryUsersDb<{ open: string }>(
      "select count(*) filter (where revoked_at is null) as open from users.refresh_tokens where user_id = $1",
      [user.id],
    );
    expect(Number(revoked[0]?.open)).toBe(0);
  });

  it("leaves one live token after two concurrent refreshes with the same token", async () => {
    const user = await createUser("PHARMACIST");
    const session = await login(user.email, user.password);
    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    // The second waits for the first, then is a retry within the reuse grace: it supersedes the
    // first one's token, so both answer and one token of the session is live.
    expect(results.map((result) => errorCode(result.body))).toEqual([undefined, undefined]);
    const [family] = await queryUsersDb<{ live: string }>(
      `select count(*) filter (where used_at is null and revoked_at is null) as live
       from users.refresh_tokens where family_id = (select family_id from users.refresh_tokens
         where token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex'))`,
      [session.refreshToken],
    );
    expect(Number(family?.live)).toBe(1);
    expect(await auditOf(user.id, "auth.refresh_reuse")).toHaveLength(0);
  });

  it("refuses unknown, malformed and logged-out tokens", async () => {
    expect(errorCode((await refresh("x".repeat(43))).body)).toBe("UNAUTHENTICATED");
    expect(errorCode((await refresh("short")).body)).toBe("UNAUTHENTICATED");

    const user = await createUser("NURSE");
    const session = await login(user.email, user.password);
    const out = await gql<{ logout: boolean }>(LOGOUT, { token: session.refreshToken });
    expect(out.body.data?.logout).toBe(true);
    expect(errorCode((await refresh(session.refreshToken)).body)).toBe("UNAUTHENTICATED");
    expect((await gql<{ logout: boolean }>(LOGOUT, { token: "x".repeat(43) })).body.data?.logout).toBe(false);
    expect((await auditOf(user.id, "user.logout")).length).toBe(1);
  });

  it("expires tokens past their expiry", async () => {
    const user = await createUser("NURSE");
    const session = await login(user.email, user.password);
    // Only the users role can write here; the test plays the clock forward by rewriting the row.
    await queryUsersDb(
      "update users.refresh_tokens set expires_at = created_at + interval '1 millisecond' where user_id = $1",
      [user.id],
    );
    expect(errorCode((await refresh(session.refreshToken)).body)).toBe("UNAUTHENTICATED");
  });
});

describe("deactivated users", () => {
  it("cannot sign in, refresh, or keep using a still-valid access token here", async () => {
    const user = await createUser("NURSE");
    const session = await login(user.email, user.password);
    const adminToken = (await login("admin@asky.dev", DEMO_PASSWORD)).accessToken;
    const deleted = await gql<{ deleteUser: { active: boolean } }>(
      `mutation($id: ID!) { deleteUser(id: $id) { active } }`,
      { id: user.id },
      { token: adminToken },
    );
    expect(deleted.body.data?.deleteUser.active).toBe(false);

    const again = await gql(LOGIN, { email: user.email, password: user.password });
    expect(errorCode(again.body)).toBe("UNAUTHENTICATED");
    expect(again.body.errors?.[0]?.message).toBe("Invalid email or password");
    expect(errorCode((await gql(REFRESH, { token: session.refreshToken })).body)).toBe("UNAUTHENTICATED");
    // The gateway still accepts the unexpired token, but the users service knows better.
    expect(errorCode((await gql(`{ me { id } }`, {}, { token: session.accessToken })).body)).toBe("UNAUTHENTICATED");

    // The row stays, so history can keep naming the person.
    const still = await gql<{ user: { active: boolean } }>(
      `query($id: ID!) { user(id: $id) { active } }`,
      { id: user.id },
      { token: adminToken },
    );
    expect(still.body.data?.user.active).toBe(false);
    const [entry] = await auditOf(user.id, "user.deactivate");
    expect(JSON.parse(entry!.detail!)).toEqual({ revokedSessions: 1 });
  });
});
