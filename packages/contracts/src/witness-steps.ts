import type { Role } from "./roles.js";

/**
 * Moves of controlled substances a second person must confirm (Portaria 344/98 practice):
 * the pharmacy dispatching a controlled request, the ward receiving it, and a loss of a
 * controlled item at a cabinet. The GraphQL `WitnessedStep` enum of the users schema.
 */
export const witnessedSteps = ["DISPATCH", "RECEIPT", "STOCK_LOSS"] as const;
export type WitnessedStep = (typeof witnessedSteps)[number];

export function isWitnessedStep(value: unknown): value is WitnessedStep {
  return (witnessedSteps as readonly unknown[]).includes(value);
}

/**
 * Who may witness each step. Dispatch is the pharmacy's own double check; receipt may be
 * witnessed by a nurse (of the request's ward: the consuming service knows it and checks the
 * token's ward) or a pharmacist who carried it up; a loss only by a pharmacist, who answers
 * for the controlled book. Administrators handle no medication, so they witness nothing.
 */
export const witnessRoles: Readonly<Record<WitnessedStep, readonly Role[]>> = {
  DISPATCH: ["PHARMACIST", "PHARMACY_TECHNICIAN"],
  RECEIPT: ["NURSE", "PHARMACIST"],
  STOCK_LOSS: ["PHARMACIST"],
};

export const mayWitness = (step: WitnessedStep, role: Role): boolean => witnessRoles[step].includes(role);

/** What a witness confirms: a step of one request, or a loss of one item at one cabinet. */
export type WitnessSubject =
  | { readonly step: "DISPATCH" | "RECEIPT"; readonly requestId: string }
  | { readonly step: "STOCK_LOSS"; readonly dispenserId: string; readonly itemId: string };

/** The binding fields as a form or a caller holds them: each step needs some and allows no other. */
export interface WitnessSubjectFields {
  readonly step: WitnessedStep;
  readonly requestId?: string | null;
  readonly dispenserId?: string | null;
  readonly itemId?: string | null;
}

type BindingField = "requestId" | "dispenserId" | "itemId";

export const witnessBindingFields: Readonly<Record<WitnessedStep, readonly BindingField[]>> = {
  DISPATCH: ["requestId"],
  RECEIPT: ["requestId"],
  STOCK_LOSS: ["dispenserId", "itemId"],
};

const allBindingFields: readonly BindingField[] = ["requestId", "dispenserId", "itemId"];

export type WitnessSubjectResult =
  { readonly subject: WitnessSubject } | { readonly field: BindingField; readonly problem: "missing" | "not_allowed" };

/**
 * The subject `fields` describe, or the first field that is missing for the step or does not
 * belong to it. One rule for the service that issues tokens and for the verifier, so a token
 * can only be bound the way it will later be checked.
 */
export function witnessSubjectOf(fields: WitnessSubjectFields): WitnessSubjectResult {
  const needed = witnessBindingFields[fields.step];
  const present = (field: BindingField) => fields[field] !== null && fields[field] !== undefined;
  const stray = allBindingFields.find((field) => !needed.includes(field) && present(field));
  if (stray) return { field: stray, problem: "not_allowed" };
  const { step, requestId, dispenserId, itemId } = fields;
  if (step === "STOCK_LOSS") {
    if (dispenserId === null || dispenserId === undefined) return { field: "dispenserId", problem: "missing" };
    if (itemId === null || itemId === undefined) return { field: "itemId", problem: "missing" };
    return { subject: { step, dispenserId, itemId } };
  }
  if (requestId === null || requestId === undefined) return { field: "requestId", problem: "missing" };
  return { subject: { step, requestId } };
}
