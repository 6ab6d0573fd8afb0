import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";
import type { Viewer } from "../viewer.js";
import { viewerClaims, viewerFromClaims, type ViewerClaims } from "./claims.js";
import { SIGNING_ALGORITHM, type SigningKey } from "./signing-keys.js";

/**
 * Access tokens: what clients present to the gateway. Issued by the users service,
 * verified at the edge against its published JWKS. Fifteen minutes, because a token
 * left on a shared ward workstation must stop working soon.
 */
export const ACCESS_TOKEN_ISSUER = "asky-users";
export const ACCESS_TOKEN_AUDIENCE = "asky-api";
export const ACCESS_TOKEN_USE = "access";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

export async function signAccessToken(key: SigningKey, viewer: Viewer, sessionId: string): Promise<IssuedAccessToken> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ ...viewerClaims(viewer), token_use: ACCESS_TOKEN_USE, sid: sessionId })
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
  expiresAt: Date;
  sessionId: string | null;
}

/**
 * Verifies access tokens against a JWKS URL. jose caches the set and refetches it when a
 * token names an unknown kid (rate-limited by the cooldown), which is how key rotation
 * reaches the gateway without a restart.
 */
export function createAccessTokenVerifier(jwksUrl: string | JWTVerifyGetKey) {
  const keys = typeof jwksUrl === "string"
    ? createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 5_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 3_000 })
    : jwksUrl;
  return async function verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
    const { payload } = await jwtVerify<ViewerClaims & { token_use?: string; sid?: string }>(token, keys, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      requiredClaims: ["exp", "iat", "sub", "nbf"],
      clockTolerance: 5,
    });
    if (payload.token_use !== ACCESS_TOKEN_USE) throw new Error("not an access token");
    const viewer = viewerFromClaims(payload);
    if (!viewer) throw new Error("access token without subject");
    return { viewer, issuedAt: payload.iat ?? 0, expiresAt: new Date((payload.exp ?? 0) * 1000), sessionId: payload.sid ?? null };
  };
}
