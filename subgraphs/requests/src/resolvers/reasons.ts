import { isLineReasonCode, isRequestReasonCode, type LineReasonCode } from "@asky/contracts";
import { assistanceReasons } from "../domain/request-kinds.js";
import type { AssistanceReason, StatusReasonCode } from "../generated/resolvers-types.js";

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function assistanceReason(value: string | null): AssistanceReason | null {
  return assistanceReasons.find((reason) => reason === value) ?? null;
}

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function statusReasonCode(code: string | null): StatusReasonCode | null {
  return isRequestReasonCode(code) ? code : null;
}

/** The column is text (with a check constraint); anything else would break the enum on the wire. */
export function lineReasonCode(code: string | null): LineReasonCode | null {
  return isLineReasonCode(code) ? code : null;
}
