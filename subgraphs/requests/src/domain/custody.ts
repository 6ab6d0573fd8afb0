import { errors } from "@asky/runtime";
import type { RequestKind, RequestStatus, Viewer, WitnessedStep } from "@asky/contracts";

/**
 * The chain of custody of controlled substances (issue 16), on top of the lifecycle table:
 * a request carrying a controlled item is checked by a second pharmacist (VERIFIED) before it
 * leaves, and its dispatch and its receipt are each confirmed by a witness. Other requests may
 * skip VERIFIED and take no witness.
 */

export const WITNESS_REQUIRED = "WITNESS_REQUIRED";
export const WITNESS_NOT_NEEDED = "WITNESS_NOT_NEEDED";

/** What the custody rules need to know about a request beyond its row. */
export interface CustodyFacts {
  /** Any line is (or, unknown, may be) a controlled substance: see services/controlled-lines.ts. */
  readonly controlled: boolean;
  /** Some line has not been picked yet (status OPEN). */
  readonly unpickedLines: boolean;
  /** Some medication line has not been picked yet: it has no lots. */
  readonly unpickedMedication: boolean;
  /** Who recorded the request's latest pick; null when none was recorded. */
  readonly latestPickerId: string | null;
}

/** The step a move to `to` is witnessed as, when the request needs a witness: dispatch and receipt; nothing else. */
export function witnessableStep(to: RequestStatus): WitnessedStep | null {
  if (to === "DISPATCHED") return "DISPATCH";
  if (to === "DELIVERED") return "RECEIPT";
  return null;
}

/** The witness a move needs: a controlled request's dispatch and its receipt. */
export function witnessStepFor(to: RequestStatus, controlled: boolean): WitnessedStep | null {
  return controlled ? witnessableStep(to) : null;
}

/**
 * Refuses what the lifecycle table allows but custody does not: verifying one's own pick
 * (FORBIDDEN: the second check is by someone else), verifying a pick not recorded for every
 * line, dispatching a controlled request that skipped VERIFIED, and dispatching a RESTOCK whose
 * medication lines were not picked (all CONFLICT: the request must first get where the move is
 * legal). A RESTOCK lands in the cabinet: an unpicked medication line would go out whole and
 * arrive as units of no lot, which first-expiry-first-out, expiringLots and a recall cannot see.
 * A ward's own request goes to the ward, not into a cabinet, and may still go out unpicked.
 */
export function checkCustody(
  request: { readonly kind: RequestKind; readonly status: RequestStatus; readonly version: number },
  to: RequestStatus,
  actor: Viewer,
  facts: CustodyFacts,
): void {
  const current = { currentStatus: request.status, currentVersion: request.version };
  if (to === "VERIFIED") {
    if (facts.latestPickerId === actor.id) {
      throw errors.forbidden("The pick is verified by a pharmacist other than the one who recorded it", {
        reason: "VERIFIER_IS_PICKER",
      });
    }
    if (facts.latestPickerId === null || facts.unpickedLines) {
      throw errors.conflict("Every line is picked (recordPick) before the pick is verified", {
        reason: "PICK_INCOMPLETE",
        ...current,
      });
    }
  }
  if (to === "DISPATCHED" && request.kind === "RESTOCK" && facts.unpickedMedication) {
    throw errors.conflict("A RESTOCK's medication lines are picked in lots (recordPick) before it is dispatched", {
      reason: "LOTS_REQUIRED",
      ...current,
    });
  }
  if (to === "DISPATCHED" && request.status === "PREPARING" && facts.controlled) {
    throw errors.conflict("A request carrying a controlled item is VERIFIED by a second pharmacist before dispatch", {
      reason: "VERIFICATION_REQUIRED",
      ...current,
    });
  }
}

/**
 * Whether the token's presence fits the move. A token where none is needed is refused rather
 * than ignored: a witness asked for and then silently dropped would be a chain of custody that
 * looks kept and is not.
 */
export function checkWitnessPresence(step: WitnessedStep | null, token: string | null): void {
  if (step !== null && token === null) {
    throw errors.badUserInput("A request carrying a controlled item needs a witness for this step", {
      field: "witnessToken",
      reason: WITNESS_REQUIRED,
      step,
    });
  }
  if (step === null && token !== null) {
    throw errors.badUserInput("This change needs no witness; send it without witnessToken", {
      field: "witnessToken",
      reason: WITNESS_NOT_NEEDED,
    });
  }
}
