import { isRequestReasonCode } from "@asky/contracts";
import type { AssistanceReason, StatusReasonCode } from "../generated/resolvers-types.js";

const assistanceReasons: readonly AssistanceReason[] = ["DRAWER_JAMMED", "COUNT_DISCREPANCY", "DEVICE_OFFLINE", "OTHER"];

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function assistanceReason(value: string | null): AssistanceReason | null {
  return assistanceReasons.find((reason) => reason === value) ?? null;
}

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function statusReasonCode(code: string | null): StatusReasonCode | null {
  return isRequestReasonCode(code) ? code : null;
}
