import type { RequestStatus } from "@asky/contracts";
import { assertNever } from "@asky/runtime";

/** The request_facts column holding the first time a request reached `status`. */
export type StatusColumn =
  | "created_at"
  | "accepted_at"
  | "preparing_at"
  | "verified_at"
  | "dispatched_at"
  | "delivered_at"
  | "rejected_at"
  | "cancelled_at";

export function statusColumn(status: RequestStatus): StatusColumn {
  switch (status) {
    case "PENDING":
      return "created_at";
    case "ACCEPTED":
      return "accepted_at";
    case "PREPARING":
      return "preparing_at";
    case "VERIFIED":
      return "verified_at";
    case "DISPATCHED":
      return "dispatched_at";
    case "DELIVERED":
      return "delivered_at";
    case "REJECTED":
      return "rejected_at";
    case "CANCELLED":
      return "cancelled_at";
    default:
      return assertNever(status, "request status");
  }
}
