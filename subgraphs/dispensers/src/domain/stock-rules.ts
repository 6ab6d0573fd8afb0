import { errors } from "@asky/runtime";
import type { StockReason } from "@asky/db/schema/dispensers";

/** Largest single movement; anything bigger is a typo (an extra zero), not a delivery. */
export const MAX_DELTA = 100_000;
export const MAX_LEVEL = 100_000;

type Sign = "positive" | "negative" | "either";

/** Which way each reason may move stock, so the ledger's reasons stay meaningful. */
const reasonSign: Record<StockReason, Sign> = {
  RESTOCK: "positive",
  RETURNED: "positive",
  DISPENSED: "negative",
  EXPIRED: "negative",
  DAMAGED: "negative",
  COUNT_CORRECTION: "either",
  OTHER: "either",
};

export function checkMovement(reason: StockReason, delta: number, note: string | null): void {
  if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > MAX_DELTA) {
    throw errors.badUserInput(`delta must be a non-zero integer between -${MAX_DELTA} and ${MAX_DELTA}`, {
      field: "delta",
    });
  }
  const sign = reasonSign[reason];
  if (sign === "positive" && delta < 0)
    throw errors.badUserInput(`${reason} adds stock: delta must be positive`, { field: "delta" });
  if (sign === "negative" && delta > 0)
    throw errors.badUserInput(`${reason} removes stock: delta must be negative`, { field: "delta" });
  if (reason === "OTHER" && !note)
    throw errors.badUserInput("A note is required when the reason is OTHER", { field: "note" });
}

export interface Levels {
  parLevel: number;
  minLevel: number;
}

export function checkLevels({ parLevel, minLevel }: Levels): Levels {
  if (!Number.isInteger(parLevel) || parLevel < 1 || parLevel > MAX_LEVEL) {
    throw errors.badUserInput(`parLevel must be an integer between 1 and ${MAX_LEVEL}`, { field: "parLevel" });
  }
  if (!Number.isInteger(minLevel) || minLevel < 0 || minLevel > parLevel) {
    throw errors.badUserInput("minLevel must be an integer between 0 and parLevel", { field: "minLevel" });
  }
  return { parLevel, minLevel };
}

/**
 * Levels of a stock level created by its first movement: the first load is taken as the par
 * (what the pharmacy chose to put there) and the minimum as a quarter of it, unless given.
 */
export function initialLevels(delta: number, parLevel: number | null, minLevel: number | null): Levels {
  const par = parLevel ?? Math.max(delta, minLevel ?? 1, 1);
  return checkLevels({ parLevel: par, minLevel: minLevel ?? Math.floor(par / 4) });
}

/** The level is low while the quantity is under its minimum. */
export const isLow = (quantity: number, minLevel: number): boolean => quantity < minLevel;
