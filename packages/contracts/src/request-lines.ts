/**
 * The line-level fulfilment vocabulary (issue 16): where each line of a request stands and
 * why it was picked short. The requests schema's check constraints, the GraphQL enums of the
 * same names and the pick_recorded event all spell these values.
 */
export const requestLineStatuses = [
  "OPEN",
  "PICKED",
  "PARTIAL",
  "BACKORDERED",
  "SUBSTITUTED",
  "CANCELLED",
  "DELIVERED",
] as const;
export type RequestLineStatus = (typeof requestLineStatuses)[number];

export const lineReasonCodes = [
  "STOCKOUT",
  "BACKORDER",
  "SUBSTITUTION",
  "PACKAGE_SIZE",
  "EXPIRED",
  "DAMAGED",
  "CLINICAL_JUDGMENT",
  "OTHER",
] as const;
export type LineReasonCode = (typeof lineReasonCodes)[number];

export function isLineReasonCode(value: unknown): value is LineReasonCode {
  return (lineReasonCodes as readonly unknown[]).includes(value);
}

export function isRequestLineStatus(value: unknown): value is RequestLineStatus {
  return (requestLineStatuses as readonly unknown[]).includes(value);
}
