import { readFile } from "node:fs/promises";
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";
import type { Viewer } from "@asky/contracts";
import { viewerClaims, viewerFromClaims, type ViewerClaims } from "./claims.js";
import { cachedTokenVerifier } from "./verified-token-cache.js";
import { publicKeyFile, readKeyMaterial, SIGNING_ALGORITHM, type KeySetFile, type SigningKey } from "./signing-keys.js";

/**
 * Internal tokens: what the gateway (or a service calling a sibling) attaches to every
 * subgraph call. Short-lived and bound to one audience, so a token lifted from one
 * subgraph's logs cannot be replayed against another, and never accepted at the edge.
 */
export const INTERNAL_TOKEN_USE = "internal";
export const INTERNAL_TOKEN_TTL_SECONDS = 60;

export const issuerOf = (service: string) => `asky-${service}`;
export const audienceOf = (service: string) => `asky-${service}`;

export interface InternalIdentity {
  /** The service that signed the call, e.g. `gateway` or `requests`. */
  readonly caller: string;
  /** The person on whose behalf it calls; null for anonymous operations and service work. */
  readonly viewer: Viewer | null;
  /** Client address as seen by the gateway, for throttling. */
  readonly clientIp: string | null;
  /** The client's session (refresh-token family), so a service can tell sessions apart. */
  readonly sessionId: string | null;
  /**
   * The issuedAtMs of the access token the call is made for (VerifiedAccessToken), which
   * revocations are compared with. A token signed without it (by hand, in tests) counts from
   * the start of its own `iat` second: never earlier than the access token it was made for.
   */
  readonly accessIssuedAtMs: number;
}

export interface InternalTokenRequest {
  issuer: string;
  audience: string;
  viewer: Viewer | null;
  clientIp?: string | null;
  sessionId?: string | null;
  /** VerifiedAccessToken.issuedAtMs of the access token the call is made for. */
  accessIssuedAtMs?: number | null;
}

export async function signInternalToken(key: SigningKey, request: InternalTokenRequest): Promise<string> {
  const claims: Record<string, string | number | null> = {
    token_use: INTERNAL_TOKEN_USE,
    ...(request.viewer ? viewerClaims(request.viewer) : {}),
    ...(request.clientIp ? { ip: request.clientIp } : {}),
    ...(request.sessionId ? { sid: request.sessionId } : {}),
    // A subgraph refuses the call once the access token is revoked: it needs what the rule compares.
    ...(request.viewer && typeof request.accessIssuedAtMs === "number"
      ? { access_iat_ms: request.accessIssuedAtMs }
      : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: "JWT" })
    .setIssuer(issuerOf(request.issuer))
    .setAudience(audienceOf(request.audience))
    .setIssuedAt()
    .setExpirationTime(`${INTERNAL_TOKEN_TTL_SECONDS}s`)
    .sign(key.privateKey);
}

export interface TrustedKeysSource {
  /** Services whose internal tokens this service accepts, e.g. `["gateway", "requests"]`. */
  trusted: readonly string[];
  /** JSON `{"gateway": {"keys": [...]}, ...}` of public keys, or a file path holding it; production's source. */
  jwks: string | undefined;
  /** Development key store where each service publishes its public keys. */
  keysDir: string | undefined;
}

export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

function keySetLoader(source: TrustedKeysSource): (caller: string) => Promise<KeySetFile | null> {
  const configured = source.jwks
    ? readKeyMaterial(source.jwks).then((text) => JSON.parse(text) as Record<string, KeySetFile>)
    : null;
  return async (caller) => {
    if (configured) return (await configured)[caller] ?? null;
    if (!source.keysDir) return null;
    try {
      return JSON.parse(await readFile(publicKeyFile(source.keysDir, caller), "utf8")) as KeySetFile;
    } catch {
      return null;
    }
  };
}

/**
 * Verifies internal tokens for one audience. Keys are cached per caller and reloaded on
 * an unknown kid (at most once a second), so a rotated key is picked up without restarts.
 */
export function createInternalTokenVerifier(audience: string, source: TrustedKeysSource) {
  const load = keySetLoader(source);
  const cache = new Map<string, { keys: JWTVerifyGetKey; loadedAt: number }>();

  async function keysOf(caller: string, refresh: boolean): Promise<JWTVerifyGetKey | null> {
    const cached = cache.get(caller);
    if (cached && (!refresh || Date.now() - cached.loadedAt < 1_000)) return cached.keys;
    const set = await load(caller);
    if (!set) return null;
    const keys = createLocalJWKSet(set);
    cache.set(caller, { keys, loadedAt: Date.now() });
    return keys;
  }

  async function verifyWith(token: string, caller: string, refresh: boolean) {
    const keys = await keysOf(caller, refresh);
    if (!keys) throw new InvalidTokenError(`no keys for ${caller}`);
    return jwtVerify<ViewerClaims & { token_use?: string; ip?: string; sid?: string; access_iat_ms?: unknown }>(
      token,
      keys,
      {
        algorithms: [SIGNING_ALGORITHM],
        issuer: issuerOf(caller),
        audience: audienceOf(audience),
        requiredClaims: ["exp", "iat"],
        maxTokenAge: `${INTERNAL_TOKEN_TTL_SECONDS + 30}s`,
        clockTolerance: 5,
      },
    );
  }

  async function verifyUncached(token: string): Promise<{ identity: InternalIdentity; expiresAtMs: number }> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new InvalidTokenError("malformed token");
    }
    // The unverified issuer only picks which key set to try; the signature and the
    // issuer claim are then checked against that set.
    const caller = source.trusted.find((service) => issuerOf(service) === issuer);
    if (!caller) throw new InvalidTokenError("untrusted issuer");
    let result;
    try {
      result = await verifyWith(token, caller, false);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw new InvalidTokenError((error as Error).message);
      result = await verifyWith(token, caller, true).catch((retry: unknown) => {
        throw new InvalidTokenError((retry as Error).message);
      });
    }
    if (result.payload.token_use !== INTERNAL_TOKEN_USE) throw new InvalidTokenError("not an internal token");
    try {
      const { access_iat_ms: accessIatMs, iat } = result.payload;
      const identity: InternalIdentity = {
        caller,
        viewer: viewerFromClaims(result.payload),
        clientIp: result.payload.ip ?? null,
        sessionId: result.payload.sid ?? null,
        accessIssuedAtMs:
          typeof accessIatMs === "number" && Number.isSafeInteger(accessIatMs) ? accessIatMs : (iat ?? 0) * 1000,
      };
      return { identity, expiresAtMs: (result.payload.exp ?? 0) * 1000 };
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
  }

  // The gateway signs one token per person and address and reuses it for half its life, so
  // most calls carry a token this process has already checked.
  const verifyCached = cachedTokenVerifier(verifyUncached, (verified) => verified.expiresAtMs);
  return async function verifyInternalToken(token: string): Promise<InternalIdentity> {
    return (await verifyCached(token)).identity;
  };
}
