import { inputText, invalidField, uuidField } from "@asky/runtime";
import { witnessSubjectOf, type WitnessSubject } from "@asky/contracts";
import type { IssueWitnessTokenInput } from "../generated/resolvers-types.js";

/** Beyond any address (254); refused before it is throttled on or looked up, as by `login`. */
const MAX_EMAIL_INPUT_LENGTH = 1024;

export interface WitnessRequest {
  /** Trimmed and lowercased, as `login` reads it. */
  readonly email: string;
  readonly password: string;
  readonly subject: WitnessSubject;
}

const idOrNull = (value: string | null | undefined, field: string): string | null =>
  value === null || value === undefined ? null : uuidField(value, field);

/**
 * What the witness confirms, checked before any password is looked at: a token must be bound
 * to exactly the request (or cabinet and item) its step names, so a missing or stray field is
 * the client's mistake and costs the witness no attempt.
 */
export function validateWitnessInput(input: IssueWitnessTokenInput): WitnessRequest {
  const result = witnessSubjectOf({
    step: input.transition,
    requestId: idOrNull(input.requestId, "requestId"),
    dispenserId: idOrNull(input.dispenserId, "dispenserId"),
    itemId: idOrNull(input.itemId, "itemId"),
  });
  if ("field" in result) {
    throw invalidField(
      result.field,
      result.problem === "missing"
        ? `${result.field} is required to witness ${input.transition}`
        : `${result.field} does not apply to ${input.transition}`,
    );
  }
  const email = inputText(input.email, { field: "email" }, { max: MAX_EMAIL_INPUT_LENGTH }).toLowerCase();
  return { email, password: input.password, subject: result.subject };
}
