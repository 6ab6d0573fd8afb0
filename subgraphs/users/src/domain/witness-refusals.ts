import type { GraphQLError } from "graphql";
import { errors } from "@asky/runtime";

/**
 * Why a witness was turned away, as `extensions.reason` of a FORBIDDEN error. Not
 * UNAUTHENTICATED, unlike `login`: the actor is signed in, and a client told its caller is
 * unauthenticated would sign the actor out because a colleague mistyped a password.
 */
export const witnessRefusals = {
  /** Unknown email, wrong password or deactivated account: one answer, as for `login`. */
  credentials: "WITNESS_CREDENTIALS_INVALID",
  isActor: "WITNESS_IS_ACTOR",
  roleNotAllowed: "WITNESS_ROLE_NOT_ALLOWED",
} as const;

export type WitnessRefusal = (typeof witnessRefusals)[keyof typeof witnessRefusals];

const messages: Readonly<Record<WitnessRefusal, string>> = {
  WITNESS_CREDENTIALS_INVALID: "Invalid witness email or password",
  WITNESS_IS_ACTOR: "The witness must be another person than the one acting",
  WITNESS_ROLE_NOT_ALLOWED: "The witness's role may not witness this step",
};

/** The FORBIDDEN error of a refusal. */
export function witnessRefused(reason: WitnessRefusal): GraphQLError {
  return errors.forbidden(messages[reason], { reason });
}
