import { assertNever, errors } from "@asky/runtime";
import { canSeeWard, isPharmacyRole, type RequestStatus, type Viewer } from "@asky/contracts";

/**
 * The request lifecycle as one table: every legal move, and who may make it. Anything not
 * listed is illegal (CONFLICT); a listed move by someone not named is FORBIDDEN. Changing
 * the workflow means changing this table; the custody rules of requests carrying controlled
 * items (must be VERIFIED, by whom, with witnesses) come on top, in domain/custody.ts.
 *
 *   PENDING → ACCEPTED → PREPARING → (VERIFIED) → DISPATCHED → DELIVERED
 *   VERIFIED → PREPARING             (pharmacy, to pick again)
 *   PENDING → REJECTED               (pharmacy, with a reason)
 *   PENDING | ACCEPTED → CANCELLED   (requester or administrator, with a reason)
 */

/** Who may make a move, relative to the request being moved. */
export type Party = "pharmacy" | "pharmacist" | "wardNurse" | "requester" | "admin";

export interface Transition {
  readonly from: RequestStatus;
  readonly to: RequestStatus;
  readonly by: readonly Party[];
}

export const transitions: readonly Transition[] = [
  { from: "PENDING", to: "ACCEPTED", by: ["pharmacy"] },
  { from: "ACCEPTED", to: "PREPARING", by: ["pharmacy"] },
  // Which requests must be VERIFIED first, and who may not verify, is domain/custody.ts.
  { from: "PREPARING", to: "VERIFIED", by: ["pharmacist"] },
  { from: "PREPARING", to: "DISPATCHED", by: ["pharmacy"] },
  { from: "VERIFIED", to: "DISPATCHED", by: ["pharmacy"] },
  // A verified pick found wrong before it leaves goes back to be picked (and verified) again.
  { from: "VERIFIED", to: "PREPARING", by: ["pharmacy"] },
  // Whoever receives it confirms it: the ward's nurse, or the pharmacy (e.g. a restock it loaded itself).
  { from: "DISPATCHED", to: "DELIVERED", by: ["wardNurse", "pharmacy"] },
  { from: "PENDING", to: "REJECTED", by: ["pharmacy"] },
  { from: "PENDING", to: "CANCELLED", by: ["requester", "admin"] },
  // Once the pharmacy is preparing, cancelling would waste work already done: ask the pharmacy instead.
  { from: "ACCEPTED", to: "CANCELLED", by: ["requester", "admin"] },
];

/** What a move does besides changing the status. */
export interface TransitionEffects {
  /** The actor becomes the assignee (the pharmacist who took it). */
  readonly assignActor: boolean;
  /** A reason code or text must accompany it, and is copied to the request. */
  readonly needsReason: boolean;
}

export function effectsOf(to: RequestStatus): TransitionEffects {
  switch (to) {
    case "ACCEPTED":
      return { assignActor: true, needsReason: false };
    case "REJECTED":
    case "CANCELLED":
      return { assignActor: false, needsReason: true };
    case "PENDING":
    case "PREPARING":
    case "VERIFIED":
    case "DISPATCHED":
    case "DELIVERED":
      return { assignActor: false, needsReason: false };
    default:
      return assertNever(to, "status");
  }
}

/** True while the pharmacy still has work to do on it. */
export function isOpen(status: RequestStatus): boolean {
  switch (status) {
    case "PENDING":
    case "ACCEPTED":
    case "PREPARING":
    case "VERIFIED":
    case "DISPATCHED":
      return true;
    case "DELIVERED":
    case "REJECTED":
    case "CANCELLED":
      return false;
    default:
      return assertNever(status, "status");
  }
}

export const openStatuses: readonly RequestStatus[] = ["PENDING", "ACCEPTED", "PREPARING", "VERIFIED", "DISPATCHED"];

export interface RequestParties {
  readonly requesterId: string;
  readonly ward: string;
}

function isParty(party: Party, actor: Viewer, request: RequestParties): boolean {
  switch (party) {
    case "pharmacy":
      return isPharmacyRole(actor.role);
    // The second check of a pick answers for it before the law: a pharmacist's, not a technician's.
    case "pharmacist":
      return actor.role === "PHARMACIST";
    case "wardNurse":
      return actor.role === "NURSE" && canSeeWard(actor, request.ward);
    case "requester":
      return actor.id === request.requesterId;
    case "admin":
      return actor.role === "ADMIN";
    default:
      return assertNever(party, "party");
  }
}

/**
 * The move from the request's current status to `to` by `actor`: CONFLICT when the
 * lifecycle has no such move, FORBIDDEN when the actor is not one who may make it.
 */
export function planTransition(
  request: RequestParties & { readonly status: RequestStatus; readonly version: number },
  to: RequestStatus,
  actor: Viewer,
): Transition & TransitionEffects {
  const transition = transitions.find((t) => t.from === request.status && t.to === to);
  if (!transition) {
    throw errors.conflict(`A ${request.status} request cannot become ${to}`, {
      reason: "ILLEGAL_TRANSITION",
      currentStatus: request.status,
      currentVersion: request.version,
    });
  }
  if (!transition.by.some((party) => isParty(party, actor, request))) {
    throw errors.forbidden(`Moving a request from ${transition.from} to ${to} is not allowed to you`);
  }
  return { ...transition, ...effectsOf(to) };
}
