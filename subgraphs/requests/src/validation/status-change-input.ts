import { intInRange, invalidField, optionalText, uuidField } from "@asky/runtime";
import type { RequestReasonCode, RequestStatus } from "@asky/db/schema/requests";
import type { ChangeRequestStatusInput } from "../generated/resolvers-types.js";
import { effectsOf } from "../domain/lifecycle.js";

export const MAX_REASON_LENGTH = 1_000;

export interface StatusChange {
  readonly requestId: string;
  readonly to: RequestStatus;
  readonly expectedVersion: number;
  readonly reasonCode: RequestReasonCode | null;
  /** The free text recorded with the change: the reason, or the note. */
  readonly text: string | null;
  readonly witnessToken: string | null;
}

/** A witness token is an ES256 JWT of well under 1 KB; far more is not one, and is not parsed. */
export const MAX_WITNESS_TOKEN_LENGTH = 2_048;

/** Bounded before anything parses it; its meaning is the witness verifier's to judge. */
export function checkWitnessToken(token: string | null | undefined): string | null {
  if (token === null || token === undefined) return null;
  if (token.length > MAX_WITNESS_TOKEN_LENGTH) {
    throw invalidField("witnessToken", `witnessToken must have at most ${MAX_WITNESS_TOKEN_LENGTH} characters`);
  }
  return token;
}

/** Shape of a changeRequestStatus input; whether the move is legal is the lifecycle's call. */
export function normalizeStatusChange(input: ChangeRequestStatusInput): StatusChange {
  const reason = optionalText(input.reason, "reason", MAX_REASON_LENGTH, "multiline");
  const note = optionalText(input.note, "note", MAX_REASON_LENGTH, "multiline");
  const reasonCode = input.reasonCode ?? null;
  // History keeps one text per change; two would leave it to guess which one counts.
  if (reason !== null && note !== null) {
    throw invalidField("note", "Give either a reason or a note, not both");
  }
  const { needsReason } = effectsOf(input.status);
  if (needsReason && reasonCode === null && reason === null) {
    throw invalidField("reasonCode", `A reason is required to make a request ${input.status}`);
  }
  if (!needsReason && reasonCode !== null) {
    throw invalidField("reasonCode", "reasonCode applies to REJECTED and CANCELLED only");
  }
  if (reasonCode === "OTHER" && reason === null) {
    throw invalidField("reason", "Explain the reason when the code is OTHER");
  }
  return {
    requestId: uuidField(input.requestId, "requestId"),
    to: input.status,
    expectedVersion: intInRange(input.expectedVersion, "expectedVersion", 1, 2_147_483_647),
    reasonCode,
    text: reason ?? note,
    witnessToken: checkWitnessToken(input.witnessToken),
  };
}
