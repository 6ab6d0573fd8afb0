import type { AssistanceReason, StatusReasonCode } from "../generated/resolvers-types.js";

const assistanceReasons: readonly AssistanceReason[] = ["DRAWER_JAMMED", "COUNT_DISCREPANCY", "DEVICE_OFFLINE", "OTHER"];
const statusReasonCodes: readonly StatusReasonCode[] = [
  "OUT_OF_STOCK",
  "DUPLICATE_REQUEST",
  "CANCELED_BY_REQUESTER",
  "CLINICAL_JUDGMENT",
  "OTHER",
];

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function assistanceReason(value: string | null): AssistanceReason | null {
  return assistanceReasons.find((reason) => reason === value) ?? null;
}

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function statusReasonCode(code: string | null): StatusReasonCode | null {
  return statusReasonCodes.find((known) => known === code) ?? null;
}
