import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import {
  canSeeWard,
  isRole,
  isUuid,
  isWitnessedStep,
  mayWitness,
  type Role,
  type WitnessedStep,
  type WitnessSubject,
  type WitnessSubjectFields,
  witnessSubjectOf,
} from "@asky/contracts";
import { ACCESS_TOKEN_ISSUER } from "./access-token.js";
import { remoteKeySet } from "./remote-key-set.js";
import { SIGNING_ALGORITHM, type KeySetFile } from "./signing-keys.js";
import { WitnessTokenError } from "./witness-token-error.js";
import {
  WITNESS_TOKEN_AUDIENCE,
  WITNESS_TOKEN_TTL_SECONDS,
  WITNESS_TOKEN_TYPE,
  WITNESS_TOKEN_USE,
  type WitnessClaims,
} from "./witness-token.js";

/** What the consuming service is about to do, which the token must have been issued for. */
export interface WitnessExpectation extends WitnessSubjectFields {
  /** The signed-in person making the change. */
  readonly actorId: string;
  /** RECEIPT only, and required there: the ward of the request's cabinet; a NURSE witness must be of it. */
  readonly ward?: string | null;
}

export interface VerifiedWitness {
  readonly witnessId: string;
  /** The witness's role and ward when the token was issued (at most two minutes ago). */
  readonly role: Role;
  readonly ward: string | null;
  readonly step: WitnessedStep;
  /** Record it in the transaction of the change (witness-uses in @asky/db): single use is the consumer's. */
  readonly jti: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

/** The users service's public keys: a key getter (remoteKeySet, createLocalJWKSet) or a key set. */
export type WitnessKeys = JWTVerifyGetKey | KeySetFile;

const refuse = (code: WitnessTokenError["code"], message: string) => new WitnessTokenError(code, message);

/** A caller passing an expectation no token could meet is a bug, not a refused witness. */
function expectedSubject(expected: WitnessExpectation): WitnessSubject {
  const result = witnessSubjectOf(expected);
  if ("field" in result) throw new TypeError(`witness expectation: ${result.field} is ${result.problem}`);
  if (expected.step === "RECEIPT" && typeof expected.ward !== "string") {
    throw new TypeError("witness expectation: a RECEIPT needs the ward of the request");
  }
  return result.subject;
}

async function verifiedPayload(token: string, keys: WitnessKeys) {
  const getKey = typeof keys === "function" ? keys : createLocalJWKSet(keys);
  try {
    const { payload } = await jwtVerify<Partial<WitnessClaims>>(token, getKey, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: WITNESS_TOKEN_AUDIENCE,
      typ: WITNESS_TOKEN_TYPE,
      requiredClaims: ["exp", "iat", "sub", "jti"],
      maxTokenAge: `${WITNESS_TOKEN_TTL_SECONDS}s`,
      clockTolerance: 5,
    });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw refuse("EXPIRED", "witness token expired");
    // The key set could not be fetched or read: nothing is known about the token yet.
    if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) throw error;
    if (error instanceof joseErrors.JOSEError) throw refuse("INVALID", `not a valid witness token (${error.code})`);
    throw error;
  }
}

function claimsOf(payload: JWTPayload & Partial<WitnessClaims>) {
  const { sub, jti, iat, exp, role, ward, step, act } = payload;
  const wellFormed =
    payload.token_use === WITNESS_TOKEN_USE &&
    isUuid(sub) &&
    isUuid(jti) &&
    isRole(role) &&
    (ward === null || typeof ward === "string") &&
    isWitnessedStep(step) &&
    typeof act?.sub === "string" &&
    typeof iat === "number" &&
    typeof exp === "number" &&
    exp - iat <= WITNESS_TOKEN_TTL_SECONDS;
  if (!wellFormed) throw refuse("INVALID", "not a valid witness token (claims)");
  return { witnessId: sub, jti, iat, exp, role, ward, step, actorId: act.sub };
}

const sameId = (claim: unknown, expected: string) => typeof claim === "string" && claim === expected.toLowerCase();

function boundTo(payload: Partial<WitnessClaims>, subject: WitnessSubject): boolean {
  return subject.step === "STOCK_LOSS"
    ? sameId(payload.dispenser, subject.dispenserId) && sameId(payload.item, subject.itemId)
    : sameId(payload.req, subject.requestId);
}

/**
 * Checks a witness token for the change about to be made: signature by the users service,
 * type, expiry (two minutes at most), and that it was issued for this actor, this step, this
 * request (or cabinet and item), to a witness whose role may witness it (and, for a receipt by
 * a nurse, of the request's ward). Throws WitnessTokenError with the fault's code.
 *
 * It holds no state, so it does NOT make the token single use: the consuming service records
 * `jti` in the same transaction as the witnessed change (recordWitnessUse in @asky/db, whose
 * primary key refuses a second use as CONFLICT), and only then is the change committed.
 */
export async function verifyWitnessToken(
  token: string,
  expected: WitnessExpectation,
  keys: WitnessKeys,
): Promise<VerifiedWitness> {
  const subject = expectedSubject(expected);
  const payload = await verifiedPayload(token, keys);
  const claims = claimsOf(payload);
  if (claims.actorId !== expected.actorId.toLowerCase()) throw refuse("WRONG_ACTOR", "witness token of another actor");
  if (claims.witnessId === claims.actorId) throw refuse("WITNESS_IS_ACTOR", "the witness cannot be the actor");
  if (claims.step !== subject.step) throw refuse("WRONG_STEP", `witness token for ${claims.step}`);
  if (!boundTo(payload, subject)) throw refuse("WRONG_SUBJECT", "witness token for something else");
  if (!mayWitness(claims.step, claims.role)) throw refuse("ROLE_NOT_ALLOWED", `a ${claims.role} cannot witness this`);
  if (subject.step === "RECEIPT" && !canSeeWard(claims, expected.ward ?? "")) {
    throw refuse("WRONG_WARD", "the witness is a nurse of another ward");
  }
  return {
    witnessId: claims.witnessId,
    role: claims.role,
    ward: claims.ward,
    step: claims.step,
    jti: claims.jti,
    issuedAt: new Date(claims.iat * 1000),
    expiresAt: new Date(claims.exp * 1000),
  };
}

/**
 * A verifier bound to the users service's keys: given a JWKS URL (usersJwksUrl(USERS_URL)),
 * the same cached remote set access tokens are checked against.
 */
export function createWitnessTokenVerifier(keys: string | URL | WitnessKeys) {
  const source = typeof keys === "string" || keys instanceof URL ? remoteKeySet(keys) : keys;
  return (token: string, expected: WitnessExpectation) => verifyWitnessToken(token, expected, source);
}
