import { assertNever } from "@asky/runtime";
import type { RequestStatus, SlaStage } from "@asky/contracts";

/**
 * The milestone a request in `status` is racing towards: ACCEPT while nobody has taken it,
 * DISPATCH while the pharmacy holds it (accepted, picking, verifying), DELIVER while on its
 * way. A closed request has no clock.
 */
export function slaStageOf(status: RequestStatus): SlaStage | null {
  switch (status) {
    case "PENDING":
      return "ACCEPT";
    case "ACCEPTED":
    case "PREPARING":
    case "VERIFIED":
      return "DISPATCH";
    case "DISPATCHED":
      return "DELIVER";
    case "DELIVERED":
    case "REJECTED":
    case "CANCELLED":
      return null;
    default:
      return assertNever(status, "status");
  }
}
