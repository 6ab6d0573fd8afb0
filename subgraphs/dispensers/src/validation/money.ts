import { errors } from "@asky/common";

/** numeric(12, 2) holds at most this. */
const MAX_UNIT_COST = 9_999_999_999.99;

/**
 * A unit cost in BRL as the exact decimal string stored in numeric(12, 2). A value with more
 * than two decimals is refused, not rounded: a silently rounded price is a billing error.
 */
export function unitCostValue(value: number, field = "unitCost"): string {
  if (!Number.isFinite(value) || value < 0 || value > MAX_UNIT_COST) {
    throw errors.badUserInput(`${field} must be between 0 and ${MAX_UNIT_COST}`, { field });
  }
  const cents = Math.round(value * 100);
  // Floats such as 0.1 + 0.2 are not exact; allow for that, not for a third decimal.
  if (Math.abs(cents - value * 100) > 1e-6 * Math.max(1, value)) {
    throw errors.badUserInput(`${field} has at most two decimals`, { field });
  }
  return (cents / 100).toFixed(2);
}
