import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { Viewer, WitnessedStep, WitnessSubject } from "@asky/contracts";
import { ACCESS_TOKEN_ISSUER } from "./access-token.js";
import { SIGNING_ALGORITHM, type SigningKey } from "./signing-keys.js";

/**
 * Witness tokens: a second person's confirmation, typed at the actor's device, of one step of
 * a controlled substance's custody (issue 16). Signed by the users service with the key that
 * signs access tokens, so every service that can check a person can check a witness; but with
 * an audience, a `token_use` and a header type of their own, so that neither can ever pass for
 * the other (the gateway and the subgraphs refuse a witness token as a bearer token, and the
 * witness verifier refuses an access token).
 */
export const WITNESS_TOKEN_AUDIENCE = "asky-witness";
export const WITNESS_TOKEN_USE = "witness";
/** Explicit typing (RFC 8725, 3.11): verifiers of other kinds of token never accept this header. */
export const WITNESS_TOKEN_TYPE = "witness+jwt";
/** Two minutes: the witness stands beside the actor; a token must not outlive the moment. */
export const WITNESS_TOKEN_TTL_SECONDS = 120;

/** The claims beyond the registered ones (iss, aud, sub = the witness, jti, iat, exp). */
export interface WitnessClaims {
  token_use: typeof WITNESS_TOKEN_USE;
  /** The witness's role and ward when the token was issued. */
  role: string;
  ward: string | null;
  /** The person who will act, in RFC 8693's shape: the only one who may present the token. */
  act: { sub: string };
  step: WitnessedStep;
  /** DISPATCH and RECEIPT: the request. */
  req?: string;
  /** STOCK_LOSS: the cabinet and the item lost. */
  dispenser?: string;
  item?: string;
}

export interface WitnessGrant {
  /** The witness as the users service knows them now (their row lock held). */
  readonly witness: Viewer;
  readonly actorId: string;
  readonly subject: WitnessSubject;
}

export interface IssuedWitnessToken {
  readonly token: string;
  /** The token's id: what the consuming service records so the token serves once. */
  readonly jti: string;
  readonly expiresAt: Date;
}

function subjectClaims(subject: WitnessSubject): Pick<WitnessClaims, "step" | "req" | "dispenser" | "item"> {
  return subject.step === "STOCK_LOSS"
    ? { step: subject.step, dispenser: subject.dispenserId.toLowerCase(), item: subject.itemId.toLowerCase() }
    : { step: subject.step, req: subject.requestId.toLowerCase() };
}

/**
 * Signs a witness token. `ttlSeconds` may shorten the life (tests, a stricter deployment);
 * it can never lengthen it past WITNESS_TOKEN_TTL_SECONDS, which the verifier enforces too.
 */
export async function signWitnessToken(
  key: SigningKey,
  grant: WitnessGrant,
  options: { readonly ttlSeconds?: number; readonly nowMs?: number } = {},
): Promise<IssuedWitnessToken> {
  const ttl = options.ttlSeconds ?? WITNESS_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > WITNESS_TOKEN_TTL_SECONDS) {
    throw new RangeError(`a witness token lives 1 to ${WITNESS_TOKEN_TTL_SECONDS} seconds, not ${ttl}`);
  }
  const issuedAt = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const expiresAt = issuedAt + ttl;
  const jti = randomUUID();
  const claims: WitnessClaims = {
    token_use: WITNESS_TOKEN_USE,
    role: grant.witness.role,
    ward: grant.witness.ward,
    act: { sub: grant.actorId },
    ...subjectClaims(grant.subject),
  };
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: WITNESS_TOKEN_TYPE })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(WITNESS_TOKEN_AUDIENCE)
    .setSubject(grant.witness.id)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { token, jti, expiresAt: new Date(expiresAt * 1000) };
}
