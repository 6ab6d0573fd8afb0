/**
 * Why a request was REJECTED or CANCELLED, as a code reports can count (free text goes with
 * it). The requests schema's check constraints list the same values.
 */
export const requestReasonCodes = [
  "OUT_OF_STOCK",
  "DUPLICATE_REQUEST",
  "CANCELED_BY_REQUESTER",
  "CLINICAL_JUDGMENT",
  "OTHER",
] as const;
export type RequestReasonCode = (typeof requestReasonCodes)[number];

export function isRequestReasonCode(value: unknown): value is RequestReasonCode {
  return (requestReasonCodes as readonly unknown[]).includes(value);
}
