import { intInRange, invalidField } from "@asky/runtime";
import { MAX_SLA_WINDOW_SECONDS } from "@asky/db/schema/sla-policies";
import type { RequestKind, RequestPriority } from "@asky/contracts";
import type { SlaPolicyInput } from "../generated/resolvers-types.js";

export interface NormalizedSlaPolicy {
  readonly kind: RequestKind;
  readonly priority: RequestPriority;
  readonly acceptWithinSeconds: number;
  readonly dispatchWithinSeconds: number;
  readonly deliverWithinSeconds: number;
}

/**
 * Bounds of a setSlaPolicy input, field by field, before anything is read or written. The
 * windows count from creation, so each milestone's may not be shorter than the one before
 * (a request cannot be dispatched before it is accepted); the table's check says the same.
 */
export function normalizeSlaPolicy(input: SlaPolicyInput): NormalizedSlaPolicy {
  const accept = intInRange(input.acceptWithinSeconds, "acceptWithinSeconds", 1, MAX_SLA_WINDOW_SECONDS);
  const dispatch = intInRange(input.dispatchWithinSeconds, "dispatchWithinSeconds", 1, MAX_SLA_WINDOW_SECONDS);
  const deliver = intInRange(input.deliverWithinSeconds, "deliverWithinSeconds", 1, MAX_SLA_WINDOW_SECONDS);
  if (dispatch < accept) {
    throw invalidField("dispatchWithinSeconds", "dispatchWithinSeconds may not be shorter than acceptWithinSeconds");
  }
  if (deliver < dispatch) {
    throw invalidField("deliverWithinSeconds", "deliverWithinSeconds may not be shorter than dispatchWithinSeconds");
  }
  return {
    kind: input.kind,
    priority: input.priority,
    acceptWithinSeconds: accept,
    dispatchWithinSeconds: dispatch,
    deliverWithinSeconds: deliver,
  };
}
