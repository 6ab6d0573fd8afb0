import {
  calendarDateOf,
  errors,
  intInRange,
  invalidField,
  requiredText,
  hospitalToday,
  isExpired,
} from "@asky/runtime";
import type { DispatchedLotInput } from "../generated/resolvers-types.js";
import { MAX_PICK_QUANTITY } from "./record-pick-limits.js";

export const MAX_LOTS_PER_LINE = 20;
/** As the dispensers service bounds lot numbers (its validation limits). */
export const MAX_LOT_NUMBER_LENGTH = 40;

export interface PickedLot {
  readonly lotNumber: string;
  /** `YYYY-MM-DD`, or null when none was given (materials only). */
  readonly expiresAt: string | null;
  readonly quantity: number;
}

function normalizeLot(lot: DispatchedLotInput, field: string, today: string): PickedLot {
  const lotNumber = requiredText(lot.lotNumber, `${field}.lotNumber`, MAX_LOT_NUMBER_LENGTH);
  let expiresAt: string | null = null;
  if (lot.expiresAt !== null && lot.expiresAt !== undefined) {
    expiresAt = calendarDateOf(lot.expiresAt);
    // Four-digit years only (calendarDateOf): what Postgres' date and JavaScript agree on.
    if (expiresAt === null) throw invalidField(`${field}.expiresAt`, `${field}.expiresAt is not a date`);
    if (isExpired(expiresAt, today)) {
      throw errors.badUserInput(`Lot ${lotNumber} expired on ${expiresAt}`, {
        field: `${field}.expiresAt`,
        reason: "EXPIRED_LOT",
      });
    }
  }
  const quantity = intInRange(lot.quantity, `${field}.quantity`, 1, MAX_PICK_QUANTITY);
  return { lotNumber, expiresAt, quantity };
}

/**
 * The lots of one picked line: distinct lot numbers, none expired, adding up to the units
 * picked. Absent or empty means "no lots given", which the line's kind may or may not allow.
 */
export function normalizeLots(
  lots: readonly DispatchedLotInput[] | null | undefined,
  line: string,
  quantity: number,
): PickedLot[] {
  if (!lots || lots.length === 0) return [];
  const field = `${line}.lots`;
  if (lots.length > MAX_LOTS_PER_LINE)
    throw invalidField(field, `A line goes out in at most ${MAX_LOTS_PER_LINE} lots`);
  if (quantity === 0) throw invalidField(field, "A line picked with quantity 0 has no lots");
  const today = hospitalToday();
  const normalized = lots.map((lot, index) => normalizeLot(lot, `${field}[${index}]`, today));
  if (new Set(normalized.map((lot) => lot.lotNumber)).size !== normalized.length) {
    throw invalidField(field, "Each lot appears once per line; add its quantities together");
  }
  const total = normalized.reduce((sum, lot) => sum + lot.quantity, 0);
  if (total !== quantity) {
    throw errors.badUserInput(`The lots add up to ${total}, not the ${quantity} picked`, {
      field,
      reason: "LOTS_DO_NOT_ADD_UP",
    });
  }
  return normalized;
}
