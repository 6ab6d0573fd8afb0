import type { AssistanceReason, StatusReasonCode } from "../generated/resolvers-types.js";
import type { RequestHistoryRow } from "../data/requests.js";

const assistanceReasons: readonly AssistanceReason[] = ["DRAWER_JAMMED", "COUNT_DISCREPANCY", "DEVICE_OFFLINE", "OTHER"];
const statusReasonCodes: readonly StatusReasonCode[] = [
  "OUT_OF_STOCK",
  "DUPLICATE_REQUEST",
  "CANCELED_BY_REQUESTER",
  "CLINICAL_JUDGMENT",
  "OTHER",
];

/** An ASSISTANCE request's reason, kept by its creation history entry (see createRequest). */
export function assistanceReasonOf(history: readonly RequestHistoryRow[]): AssistanceReason | null {
  const text = history.find((entry) => entry.fromStatus === null)?.reasonText;
  return assistanceReasons.find((reason) => reason === text) ?? null;
}

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function statusReasonCode(code: string | null): StatusReasonCode | null {
  return statusReasonCodes.find((known) => known === code) ?? null;
}
