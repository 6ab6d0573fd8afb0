/**
 * Access tokens as the users service signs them, with another lifetime: tests make a
 * session's token expired (or about to expire) without waiting for it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt, importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import { queryUsersDb, testStack } from "@asky/stack/testing";

async function usersKey(): Promise<{ key: CryptoKey; kid: string }> {
  const set = JSON.parse(await readFile(join(testStack().keysDir, "users.private.jwks.json"), "utf8")) as {
    keys: JWK[];
  };
  const jwk = set.keys[0]!;
  return { key: (await importJWK(jwk, "ES256")) as CryptoKey, kid: jwk.kid! };
}

/**
 * The same claims (user, role, ward, session, and the `iat_ms` revocations are judged by)
 * with `exp` moved to now + `expiresInSeconds` (negative: already expired).
 */
export async function withLifetime(accessToken: string, expiresInSeconds: number): Promise<string> {
  const claims = decodeJwt(accessToken);
  const { key, kid } = await usersKey();
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = Math.min(now, now + expiresInSeconds - 60);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(now + expiresInSeconds)
    .sign(key);
}

/** The session (refresh-token family) an access token belongs to. */
export function sessionIdOf(accessToken: string): string {
  const sid = decodeJwt(accessToken).sid;
  if (typeof sid !== "string") throw new Error("access token without sid");
  return sid;
}

/** The refresh tokens of a session as the users database holds them: one per sign-in or refresh. */
export async function refreshTokenRows(sessionId: string): Promise<{ issued: number; used: number; revoked: number }> {
  const [row] = await queryUsersDb<{ issued: number; used: number; revoked: number }>(
    `SELECT count(*)::int AS issued, count(used_at)::int AS used, count(revoked_at)::int AS revoked
       FROM users.refresh_tokens WHERE family_id = $1`,
    [sessionId],
  );
  return row!;
}
