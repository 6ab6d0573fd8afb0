import { invalidField } from "./invalid-field.js";

/**
 * BRL amounts. Postgres stores them exactly, as numeric(12, 2); the GraphQL contract carries
 * them as Float. Arithmetic happens in integer cents, so sums never pick up floating-point
 * dust, and what is written is the exact decimal text, never a float's rounding of it.
 */

/** numeric(12, 2) holds at most 9 999 999 999.99. */
export const MAX_MONEY_CENTS = 999_999_999_999;
const MAX_MONEY = MAX_MONEY_CENTS / 100;

const decimalPattern = /^(\d+)(?:\.(\d{1,2}))?$/;

/** A float amount already known to have at most two decimals (a stored price) as cents. */
export const centsOf = (brl: number): number => Math.round(brl * 100);

/**
 * Cents as the numeric(12, 2) text Postgres stores ("1234" cents → "12.34"). A sum the column
 * cannot hold comes from what the client asked for (too many, too dear items), so it is
 * BAD_USER_INPUT on `field`.
 */
export function centsToDecimal(cents: number, field: string): string {
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_MONEY_CENTS) {
    throw invalidField(field, `The total cost of the ${field} is too large`);
  }
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** Decimal text as Postgres returns numeric ("12.5", "12.34", "12") in cents; throws on anything else. */
export function decimalToCents(amount: string): number {
  const match = decimalPattern.exec(amount.trim());
  if (!match) throw new Error(`invalid amount: ${amount}`);
  return Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
}

/**
 * A client's amount (a GraphQL Float) as the exact decimal text stored. More than two
 * decimals is refused, not rounded: a silently rounded price is a billing error.
 */
export function moneyInput(value: number, field: string): string {
  if (!Number.isFinite(value) || value < 0 || value > MAX_MONEY) {
    throw invalidField(field, `${field} must be between 0 and ${MAX_MONEY}`);
  }
  const cents = Math.round(value * 100);
  // Floats such as 0.1 + 0.2 are not exact; allow for that, not for a third decimal.
  if (Math.abs(cents - value * 100) > 1e-6 * Math.max(1, value)) {
    throw invalidField(field, `${field} has at most two decimals`);
  }
  return (cents / 100).toFixed(2);
}
