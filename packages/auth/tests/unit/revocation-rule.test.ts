/**
 * The one revocation rule gateways and the users service share, to the millisecond, and the
 * `iat_ms` claim it reads (tokens signed before the claim existed fall back to whole seconds).
 */
import { createLocalJWKSet, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  createAccessTokenVerifier,
  signAccessToken,
} from "../../src/access-token.js";
import { generateSigningJwk, loadSigningKeys, publicKeySet, SIGNING_ALGORITHM } from "../../src/signing-keys.js";
import { revocationApplies, revocationFromEvent, type Revocation } from "../../src/revocation.js";

const userId = "3f1c2a9e-0000-4000-8000-000000000001";
const sessionId = "3f1c2a9e-0000-4000-8000-000000000002";
const viewer = { id: userId, role: "NURSE" as const, ward: "UTI-ADULTO" };

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

const revokedAt = (ms: number): Revocation => ({ userId, sessionId: null, exceptSessionId: null, revokedAtMs: ms });

describe("access revocation rule", () => {
  it("refuses a token whose claims were read up to the revocation's millisecond, and accepts one read after it", async () => {
    const { key, verify } = await keys();
    const at = Date.parse("2026-03-01T10:00:00.500Z");
    const before = await verify((await signAccessToken(key, viewer, sessionId, at - 1)).token);
    const same = await verify((await signAccessToken(key, viewer, sessionId, at)).token);
    const after = await verify((await signAccessToken(key, viewer, sessionId, at + 100)).token);
    expect(after.issuedAtMs).toBe(at + 100);
    expect(revocationApplies(revokedAt(at), before)).toBe(true);
    expect(revocationApplies(revokedAt(at), same)).toBe(true);
    expect(revocationApplies(revokedAt(at), after)).toBe(false);
  });

  it("compares a token without iat_ms by the start of its iat second, as before", async () => {
    const { key, verify } = await keys();
    const issuedAt = Math.floor(Date.now() / 1000);
    const legacy = await new SignJWT({ role: viewer.role, ward: viewer.ward, token_use: "access", sid: sessionId })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid })
      .setSubject(userId)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + 60)
      .sign(key.privateKey);
    const verified = await verify(legacy);
    expect(verified.issuedAtMs).toBe(issuedAt * 1000);
    expect(revocationApplies(revokedAt(issuedAt * 1000 + 999), verified)).toBe(true);
    expect(revocationApplies(revokedAt(issuedAt * 1000 - 1), verified)).toBe(false);
  });

  it("applies a session's revocation to that session only, and spares the excepted session", () => {
    const token = { viewer: { id: userId }, sessionId, issuedAtMs: 1_000 };
    const other = { ...token, sessionId: "3f1c2a9e-0000-4000-8000-000000000003" };
    expect(revocationApplies({ ...revokedAt(0), sessionId }, token)).toBe(true);
    expect(revocationApplies({ ...revokedAt(0), sessionId }, other)).toBe(false);
    expect(revocationApplies({ ...revokedAt(5_000), exceptSessionId: sessionId }, token)).toBe(false);
    expect(revocationApplies({ ...revokedAt(5_000), exceptSessionId: sessionId }, other)).toBe(true);
  });

  it("reads access_revoked events to the millisecond and refuses malformed ones", () => {
    const revocation = revocationFromEvent({
      userId,
      sessionId: null,
      exceptSessionId: sessionId,
      revokedAt: "2026-03-01T10:00:00.123Z",
      reason: "sessions_ended",
    });
    expect(revocation.revokedAtMs).toBe(Date.parse("2026-03-01T10:00:00.123Z"));
    expect(() =>
      revocationFromEvent({ userId: "x", sessionId: null, exceptSessionId: null, revokedAt: "2026-03-01T10:00:00Z" }),
    ).toThrow();
    expect(() =>
      revocationFromEvent({ userId, sessionId: null, exceptSessionId: null, revokedAt: "yesterday" }),
    ).toThrow();
  });
});
