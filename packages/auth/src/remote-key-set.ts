import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

/** Where the users service publishes the public half of its signing keys. */
export const USERS_JWKS_PATH = "/.well-known/jwks.json";

/** The users JWKS URL next to its GraphQL endpoint (the `USERS_URL` other services already have). */
export const usersJwksUrl = (usersUrl: string | URL): URL => new URL(USERS_JWKS_PATH, usersUrl);

/**
 * The users service's key set fetched over HTTP, as every verifier of its tokens loads it. jose
 * caches the set and refetches it when a token names an unknown kid (at most every five
 * seconds), which is how a key rotation reaches verifiers without a restart.
 */
export function remoteKeySet(jwksUrl: string | URL): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), {
    cooldownDuration: 5_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 3_000,
  });
}
