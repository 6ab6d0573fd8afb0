/**
 * The access token's lifetime is configurable within bounds, and the security property the
 * revocation memory rests on holds for the longest one: no verifier accepts a token for longer
 * than revocations are remembered, whatever lifetime a users replica gave it.
 */
import { createLocalJWKSet, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
  ACCESS_TOKEN_DEFAULT_TTL_SECONDS,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_MAX_TTL_SECONDS,
  ACCESS_TOKEN_MIN_TTL_SECONDS,
  ACCESS_TOKEN_USE,
  createAccessTokenVerifier,
  signAccessToken,
} from "../../src/access-token.js";
import { REVOCATION_MEMORY_MS } from "../../src/revocation/access-revocations.js";
import { generateSigningJwk, loadSigningKeys, publicKeySet, SIGNING_ALGORITHM } from "../../src/signing-keys.js";

const viewer = { id: "3f1c2a9e-0000-4000-8000-000000000001", role: "NURSE" as const, ward: "UTI-ADULTO" };
const sessionId = "3f1c2a9e-0000-4000-8000-000000000002";

async function keys() {
  const jwk = await generateSigningJwk("users");
  const [key] = await loadSigningKeys({
    owner: "users",
    jwks: JSON.stringify({ keys: [jwk] }),
    keysDir: undefined,
    production: true,
  });
  return { key, verify: createAccessTokenVerifier(createLocalJWKSet(publicKeySet([key]))) };
}

const lifetimeOf = async (token: string, verify: Awaited<ReturnType<typeof keys>>["verify"]) => {
  const verified = await verify(token);
  return verified.expiresAt.getTime() / 1000 - verified.issuedAt;
};

describe("access token lifetime", () => {
  it("is fifteen minutes unless told otherwise, and the given lifetime when told", async () => {
    const { key, verify } = await keys();
    expect(ACCESS_TOKEN_DEFAULT_TTL_SECONDS).toBe(900);
    const byDefault = await signAccessToken(key, viewer, sessionId);
    expect(await lifetimeOf(byDefault.token, verify)).toBe(900);
    for (const ttl of [ACCESS_TOKEN_MIN_TTL_SECONDS, 45, ACCESS_TOKEN_MAX_TTL_SECONDS]) {
      const issued = await signAccessToken(key, viewer, sessionId, Date.now(), ttl);
      expect(await lifetimeOf(issued.token, verify)).toBe(ttl);
      expect(issued.expiresAt.getTime()).toBe((await verify(issued.token)).expiresAt.getTime());
    }
  });

  it.each([0, ACCESS_TOKEN_MIN_TTL_SECONDS - 1, ACCESS_TOKEN_MAX_TTL_SECONDS + 1, 60.5, Number.NaN, -900])(
    "refuses to sign a token living %s s",
    async (ttl) => {
      const { key } = await keys();
      await expect(signAccessToken(key, viewer, sessionId, Date.now(), ttl)).rejects.toThrow(RangeError);
    },
  );

  it("refuses a token older than the longest lifetime, whatever its exp says", async () => {
    const { key, verify } = await keys();
    const now = Math.floor(Date.now() / 1000);
    const craft = (issuedAt: number) =>
      new SignJWT({ role: viewer.role, ward: viewer.ward, token_use: ACCESS_TOKEN_USE, sid: sessionId })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: "JWT" })
        .setSubject(viewer.id)
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(now + 600)
        .sign(key.privateKey);
    // Signed by the right key with an exp still ahead (a replica misconfigured past the bound):
    // accepted while younger than the bound, refused once older, when its revocation may be forgotten.
    await expect(verify(await craft(now - ACCESS_TOKEN_MAX_TTL_SECONDS + 60))).resolves.toMatchObject({
      sessionId,
    });
    await expect(verify(await craft(now - ACCESS_TOKEN_MAX_TTL_SECONDS - 60))).rejects.toThrow(/iat/);
  });

  it("remembers revocations for longer than any token is accepted", () => {
    const longestAcceptedMs = (ACCESS_TOKEN_MAX_TTL_SECONDS + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000;
    expect(REVOCATION_MEMORY_MS).toBeGreaterThan(longestAcceptedMs);
  });
});
