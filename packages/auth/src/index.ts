// Tokens, keys and revocation.
export {
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_USE,
  ACCESS_TOKEN_DEFAULT_TTL_SECONDS,
  ACCESS_TOKEN_MIN_TTL_SECONDS,
  ACCESS_TOKEN_MAX_TTL_SECONDS,
  signAccessToken,
  createAccessTokenVerifier,
  type IssuedAccessToken,
  type VerifiedAccessToken,
} from "./access-token.js";
export { parseBearer } from "./bearer.js";
export { viewerClaims, viewerFromClaims, type ViewerClaims } from "./claims.js";
export { allow, checkAccess, guardResolvers, type AccessRule, type GuardedContext, type AccessTable } from "./guard.js";
export { InternalTokenCache, type TokenSubject } from "./internal-token-cache.js";
export {
  INTERNAL_TOKEN_USE,
  INTERNAL_TOKEN_TTL_SECONDS,
  issuerOf,
  audienceOf,
  signInternalToken,
  InvalidTokenError,
  createInternalTokenVerifier,
  type InternalIdentity,
  type InternalTokenRequest,
  type TrustedKeysSource,
} from "./internal-token.js";
export {
  REVOCATION_WATERMARK_SUBJECT,
  parseRevocationWatermark,
  type RevocationWatermark,
} from "./revocation-watermark.js";
export {
  revocationApplies,
  toRevocation,
  revocationFromEvent,
  type Revocation,
  type RevocableToken,
} from "./revocation.js";
export { AccessRevocations } from "./revocation/access-revocations.js";
export { FeedWatermark, type FeedPosition, type FeedWatermarkOptions } from "./revocation/feed-watermark.js";
export {
  AccessRevokedError,
  startRevocationChecks,
  type RevocationChecksOptions,
  type RevocationFeedState,
  type RevocationChecks,
} from "./revocation/revocation-checks.js";
export { revocationEnv, usersUrlEnv, type RevocationConfig } from "./revocation/revocation-config.js";
export {
  SessionChecks,
  type SessionCheck,
  type SessionStatusSource,
  type SessionChecksOptions,
} from "./revocation/session-checks.js";
export { usersServiceSessions, type UsersServiceSessionsOptions } from "./revocation/session-status-client.js";
export { SessionUnverifiableError, sessionUnverifiableRefusal } from "./revocation/session-unverifiable.js";
export {
  SESSION_STATUS_PATH,
  parseSessionStatusQuery,
  parseSessionStatus,
  type SessionStatusQuery,
  type SessionRevokedReason,
  type SessionStatus,
} from "./session-status.js";
export {
  SIGNING_ALGORITHM,
  KeyConfigError,
  generateSigningJwk,
  privateKeyFile,
  publicKeyFile,
  readKeyMaterial,
  loadSigningKeys,
  publicKeySet,
  type SigningKey,
  type KeySetFile,
  type SigningKeySource,
  type SigningKeys,
} from "./signing-keys.js";
export { cachedTokenVerifier } from "./verified-token-cache.js";
export { USERS_JWKS_PATH, usersJwksUrl, remoteKeySet } from "./remote-key-set.js";
export {
  WITNESS_TOKEN_AUDIENCE,
  WITNESS_TOKEN_USE,
  WITNESS_TOKEN_TYPE,
  WITNESS_TOKEN_TTL_SECONDS,
  signWitnessToken,
  type WitnessClaims,
  type WitnessGrant,
  type IssuedWitnessToken,
} from "./witness-token.js";
export {
  verifyWitnessToken,
  createWitnessTokenVerifier,
  type WitnessExpectation,
  type VerifiedWitness,
  type WitnessKeys,
} from "./witness-verifier.js";
export { WitnessTokenError, witnessTokenFaults, type WitnessTokenFault } from "./witness-token-error.js";
