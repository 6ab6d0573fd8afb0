import { jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";
import type { Viewer } from "@asky/contracts";
import { viewerClaims, viewerFromClaims, type ViewerClaims } from "./claims.js";
import { remoteKeySet } from "./remote-key-set.js";
import { SIGNING_ALGORITHM, type SigningKey } from "./signing-keys.js";

/**
 * Access tokens: what clients present to the gateway. Issued by the users service,
 * verified at the edge against its published JWKS. Fifteen minutes by default, because a
 * token left on a shared ward workstation must stop working soon; the users service may set
 * another lifetime (ACCESS_TOKEN_TTL_SECONDS) within the bounds below.
 */
export const ACCESS_TOKEN_ISSUER = "asky-users";
export const ACCESS_TOKEN_AUDIENCE = "asky-api";
export const ACCESS_TOKEN_USE = "access";
export const ACCESS_TOKEN_DEFAULT_TTL_SECONDS = 15 * 60;
export const ACCESS_TOKEN_MIN_TTL_SECONDS = 30;
/**
 * The longest lifetime any users replica may give a token. Revocations are remembered for
 * this long (AccessRevocations), whatever lifetime the replicas actually use, and verifiers
 * refuse a token older than this: a replica misconfigured beyond it, or a token crafted with
 * a later `exp`, can never outlive the memory of its revocation.
 */
export const ACCESS_TOKEN_MAX_TTL_SECONDS = 60 * 60;
/** Host clocks of the users replicas and the verifiers may differ by this much. */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/**
 * `claimsReadAtMs` goes into the `iat_ms` claim: the instant, on the users database's clock,
 * at which the viewer's claims were read under the user's row lock. Revocations are stamped on
 * the same clock under the same lock, so "issued before the revocation" holds to the
 * millisecond even across users replicas whose host clocks differ, where whole-second `iat`
 * refused every token of the revocation's second (a sign-in right after a role change).
 */
export async function signAccessToken(
  key: SigningKey,
  viewer: Viewer,
  sessionId: string,
  claimsReadAtMs: number = Date.now(),
  ttlSeconds: number = ACCESS_TOKEN_DEFAULT_TTL_SECONDS,
): Promise<IssuedAccessToken> {
  // Configuration is validated at start; this guards the revocation memory against any other caller.
  if (
    !Number.isInteger(ttlSeconds) ||
    ttlSeconds < ACCESS_TOKEN_MIN_TTL_SECONDS ||
    ttlSeconds > ACCESS_TOKEN_MAX_TTL_SECONDS
  ) {
    throw new RangeError(
      `access token lifetime ${ttlSeconds} s is outside ${ACCESS_TOKEN_MIN_TTL_SECONDS}..${ACCESS_TOKEN_MAX_TTL_SECONDS} s`,
    );
  }
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + ttlSeconds;
  const token = await new SignJWT({
    ...viewerClaims(viewer),
    token_use: ACCESS_TOKEN_USE,
    sid: sessionId,
    iat_ms: claimsReadAtMs,
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: "JWT" })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

export interface VerifiedAccessToken {
  viewer: Viewer;
  /** Whole seconds, as in the token's `iat`. */
  issuedAt: number;
  /**
   * What revocations are compared with: the `iat_ms` claim, or for a token without one (signed
   * before it existed) the start of its `iat` second, which refuses it like whole seconds did.
   */
  issuedAtMs: number;
  expiresAt: Date;
  sessionId: string | null;
}

/**
 * Verifies access tokens against a JWKS URL (remoteKeySet: cached, refetched on an unknown
 * kid, which is how key rotation reaches the gateway without a restart).
 */
export function createAccessTokenVerifier(jwksUrl: string | JWTVerifyGetKey) {
  const keys = typeof jwksUrl === "string" ? remoteKeySet(jwksUrl) : jwksUrl;
  return async function verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
    const { payload } = await jwtVerify<ViewerClaims & { token_use?: string; sid?: string; iat_ms?: unknown }>(
      token,
      keys,
      {
        algorithms: [SIGNING_ALGORITHM],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        requiredClaims: ["exp", "iat", "sub", "nbf"],
        clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
        // Past this no revocation of the token is remembered any more: refuse it whatever its `exp`.
        maxTokenAge: ACCESS_TOKEN_MAX_TTL_SECONDS,
      },
    );
    if (payload.token_use !== ACCESS_TOKEN_USE) throw new Error("not an access token");
    const viewer = viewerFromClaims(payload);
    if (!viewer) throw new Error("access token without subject");
    const issuedAt = payload.iat ?? 0;
    const issuedAtMs =
      typeof payload.iat_ms === "number" && Number.isSafeInteger(payload.iat_ms) ? payload.iat_ms : issuedAt * 1000;
    return {
      viewer,
      issuedAt,
      issuedAtMs,
      expiresAt: new Date((payload.exp ?? 0) * 1000),
      sessionId: payload.sid ?? null,
    };
  };
}
