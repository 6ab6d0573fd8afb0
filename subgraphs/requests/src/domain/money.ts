import { errors } from "@asky/common";

/** numeric(12,2): the largest total a request can store. */
const MAX_TOTAL_CENTS = 999_999_999_999;

/** BRL as integer cents, so sums never pick up floating-point dust. */
export const toCents = (brl: number): number => Math.round(brl * 100);

/** Cents as the numeric(12,2) text Postgres stores. */
export function centsToNumeric(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_TOTAL_CENTS) {
    throw errors.badUserInput("The request's total cost is too large", { field: "items" });
  }
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents % 100).padStart(2, "0")}`;
}
