import { isExpired } from "@asky/runtime";
import type { MovementPart } from "./stock-plan.js";

/** A lot as a delivered RESTOCK event names it; expiry `YYYY-MM-DD`, null for an undated material lot. */
export interface DeliveredLot {
  readonly lotNumber: string;
  readonly expiresAt: string | null;
  readonly quantity: number;
}

/** A lot already in the cabinet's stock level. */
export interface CabinetLot {
  readonly lotNumber: string;
  readonly expiresAt: string;
}

/** Units to add to one lot row of the level: created, or merged into the row of that number. */
export interface LotAddition {
  readonly lotNumber: string;
  readonly expiresAt: string;
  readonly quantity: number;
}

/** Facts the pharmacy should hear about; the delivery is applied all the same. */
export type DeliveryNotice =
  | {
      readonly kind: "expiry_mismatch";
      readonly lotNumber: string;
      readonly cabinet: string;
      readonly delivered: string;
    }
  | { readonly kind: "expired_on_arrival"; readonly lotNumber: string; readonly expiresAt: string }
  | { readonly kind: "undated_lot"; readonly lotNumber: string; readonly quantity: number };

export interface DeliveryPlan {
  readonly additions: LotAddition[];
  /** Ledger parts: one per lot, then the units of no known lot. */
  readonly movements: MovementPart[];
  readonly notices: DeliveryNotice[];
}

/**
 * How a delivered line lands in a cabinet's lots. The delivery already happened, so nothing
 * here refuses; what looks wrong is applied the safe way and reported:
 * - a lot the cabinet holds under another expiry (one manufacturing batch has one printed
 *   date, so one record is a typing error) keeps the earlier of the two dates: no unit is
 *   then used beyond either date, and a count can correct it;
 * - a lot that expired on the way is still added (the units are physically in the drawer),
 *   where the dispensing plan never hands it out and expiringLots lists it for removal;
 * - an undated lot (materials only: medications are picked in dated lots) cannot be a lot
 *   row, whose expiry the cabinet needs; it joins a row of the same number if there is one,
 *   else its units count as units of no known lot, as units beyond the named lots do.
 */
export function planDeliveredLots(
  cabinet: readonly CabinetLot[],
  delivered: readonly DeliveredLot[],
  quantity: number,
  today: string,
): DeliveryPlan {
  const additions: LotAddition[] = [];
  const movements: MovementPart[] = [];
  const notices: DeliveryNotice[] = [];
  let lotted = 0;
  for (const lot of delivered) {
    const existing = cabinet.find((candidate) => candidate.lotNumber === lot.lotNumber);
    const expiresAt = earlierOf(existing?.expiresAt ?? null, lot.expiresAt);
    if (expiresAt === null) {
      notices.push({ kind: "undated_lot", lotNumber: lot.lotNumber, quantity: lot.quantity });
      continue;
    }
    if (existing && lot.expiresAt !== null && lot.expiresAt !== existing.expiresAt) {
      notices.push({
        kind: "expiry_mismatch",
        lotNumber: lot.lotNumber,
        cabinet: existing.expiresAt,
        delivered: lot.expiresAt,
      });
    }
    if (isExpired(expiresAt, today)) notices.push({ kind: "expired_on_arrival", lotNumber: lot.lotNumber, expiresAt });
    additions.push({ lotNumber: lot.lotNumber, expiresAt, quantity: lot.quantity });
    movements.push({ lotNumber: lot.lotNumber, delta: lot.quantity });
    lotted += lot.quantity;
  }
  if (quantity > lotted) movements.push({ lotNumber: null, delta: quantity - lotted });
  return { additions, movements, notices };
}

function earlierOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
