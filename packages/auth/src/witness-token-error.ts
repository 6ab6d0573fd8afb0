/**
 * Why a witness token was refused, for the consuming service to turn into its own contract
 * error. A suggested mapping: INVALID, EXPIRED and every WRONG_* → FORBIDDEN with
 * `reason: "WITNESS_TOKEN_<code>"` (the actor may ask the witness again); a token that verifies
 * but whose jti is already recorded → CONFLICT "witness token already used" (witness-uses in
 * @asky/db). Failures to reach the users service's key set are not WitnessTokenErrors: they
 * propagate, and are the consumer's internal error (or 503), never a refusal of the witness.
 */
export const witnessTokenFaults = [
  /** Not a witness token of the users service: malformed, bad signature, unknown key, wrong type or audience. */
  "INVALID",
  /** Past its `exp` (at most two minutes after issue). */
  "EXPIRED",
  /** Issued for another person to act. */
  "WRONG_ACTOR",
  /** Issued for another witnessed step. */
  "WRONG_STEP",
  /** Bound to another request, or another cabinet or item. */
  "WRONG_SUBJECT",
  /** A nurse witnessing a receipt for a ward not her own. */
  "WRONG_WARD",
  /** The witness's role (when the token was issued) may not witness this step. */
  "ROLE_NOT_ALLOWED",
  /** The witness is the actor. The users service never issues one; checked again all the same. */
  "WITNESS_IS_ACTOR",
] as const;

export type WitnessTokenFault = (typeof witnessTokenFaults)[number];

export class WitnessTokenError extends Error {
  override name = "WitnessTokenError";

  constructor(
    readonly code: WitnessTokenFault,
    message: string,
  ) {
    super(message);
  }
}
