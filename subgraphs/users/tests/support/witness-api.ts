/** Witness tokens through the real gateway, for the users tests of issue 16's witnesses. */
import { randomUUID } from "node:crypto";
import type { WitnessedStep } from "@asky/contracts";
import { gql, type FreshUser, type Session } from "./users-api.js";

export const ISSUE_WITNESS = `mutation($input: IssueWitnessTokenInput!) {
  issueWitnessToken(input: $input) { token expiresAt witness { id role ward } }
}`;

export interface IssuedWitness {
  token: string;
  expiresAt: string;
  witness: { id: string; role: string; ward: string | null };
}

export interface Binding {
  requestId?: string;
  dispenserId?: string;
  itemId?: string;
}

/** Fresh ids of what `step` is bound to: a request, or a cabinet and an item. */
export const bindingFor = (step: WitnessedStep): Binding =>
  step === "STOCK_LOSS" ? { dispenserId: randomUUID(), itemId: randomUUID() } : { requestId: randomUUID() };

/** `actor` asks `witness` (email and password, or any others given) to confirm `step`. */
export function askWitness(
  actor: Session | null,
  witness: Pick<FreshUser, "email" | "password">,
  step: WitnessedStep,
  binding: Binding = bindingFor(step),
) {
  const input = { email: witness.email, password: witness.password, transition: step, ...binding };
  return gql<{ issueWitnessToken: IssuedWitness }>(ISSUE_WITNESS, { input }, actor ? { token: actor.accessToken } : {});
}
