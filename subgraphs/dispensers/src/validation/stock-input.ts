import { calendarDateOf, invalidField, optionalText, addDays, hospitalToday } from "@asky/runtime";
import type { StockReason } from "@asky/db/schema/dispensers";
import { checkMovement } from "../domain/stock-rules.js";
import type { AdjustStockInput } from "../generated/resolvers-types.js";
import { LIMITS } from "./limits.js";

export interface StockAdjustment {
  dispenserId: string;
  itemId: string;
  delta: number;
  reason: StockReason;
  note: string | null;
  lotNumber: string | null;
  expiresAt: string | null;
  parLevel: number | null;
  minLevel: number | null;
  /** As given: a signed token is compared byte for byte, never trimmed. */
  witnessToken: string | null;
}

/** No medicine keeps for decades; a date that far out is a typo in the year. */
const MAX_SHELF_LIFE_DAYS = 20 * 366;

export function checkExpiry(expiresAt: string | null | undefined, field = "expiresAt"): string | null {
  if (expiresAt === null || expiresAt === undefined) return null;
  const date = calendarDateOf(expiresAt);
  if (date === null) throw invalidField(field, `${field} must be a date, YYYY-MM-DD`);
  if (date < "2000-01-01" || date > addDays(hospitalToday(), MAX_SHELF_LIFE_DAYS)) {
    throw invalidField(field, `${field} ${date} is not a plausible expiry date`);
  }
  return date;
}

/** Bounded before anything parses it; its meaning is the witness verifier's to judge. */
function checkWitnessToken(token: string | null | undefined): string | null {
  if (token === null || token === undefined) return null;
  if (token.length > LIMITS.witnessToken) {
    throw invalidField("witnessToken", `witnessToken must have at most ${LIMITS.witnessToken} characters`);
  }
  return token;
}

export function validateAdjustment(input: AdjustStockInput): StockAdjustment {
  const note = optionalText(input.note, "note", LIMITS.note, "multiline");
  checkMovement(input.reason, input.delta, note);
  return {
    dispenserId: input.dispenserId,
    itemId: input.itemId,
    delta: input.delta,
    reason: input.reason,
    note,
    lotNumber: optionalText(input.lotNumber, "lotNumber", LIMITS.lotNumber),
    expiresAt: checkExpiry(input.expiresAt),
    parLevel: input.parLevel ?? null,
    minLevel: input.minLevel ?? null,
    witnessToken: checkWitnessToken(input.witnessToken),
  };
}
