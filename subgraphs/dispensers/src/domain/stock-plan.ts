import { errors, isExpired } from "@asky/runtime";
import type { StockReason } from "@asky/db/schema/dispensers";

/**
 * How one adjustment changes a stock level's lots, decided without touching the database so
 * the rules read in one place. Units need not all belong to a lot (a count correction may
 * find units nobody recorded); those "unlotted" units are `quantity - sum(lots)`, have no
 * known expiry and are taken after the lots.
 */
export interface LotState {
  readonly id: string;
  readonly lotNumber: string;
  readonly expiresAt: string;
  readonly quantity: number;
}

export interface AdjustmentIntent {
  readonly delta: number;
  readonly reason: StockReason;
  readonly lotNumber: string | null;
  readonly expiresAt: string | null;
  readonly today: string;
}

export type LotChange =
  | { readonly kind: "insert"; readonly lotNumber: string; readonly expiresAt: string; readonly quantity: number }
  | { readonly kind: "update"; readonly id: string; readonly quantity: number }
  | { readonly kind: "delete"; readonly id: string };

/** One ledger row: the part of the movement that hit one lot (or the unlotted units). */
export interface MovementPart {
  readonly lotNumber: string | null;
  readonly delta: number;
}

export interface AdjustmentPlan {
  readonly quantityAfter: number;
  readonly lotChanges: LotChange[];
  readonly movements: MovementPart[];
}

const firstExpiringFirst = (a: LotState, b: LotState) =>
  a.expiresAt.localeCompare(b.expiresAt) || a.lotNumber.localeCompare(b.lotNumber);

const reduced = (lot: LotState, by: number): LotChange =>
  lot.quantity === by ? { kind: "delete", id: lot.id } : { kind: "update", id: lot.id, quantity: lot.quantity - by };

function planAddition(lots: readonly LotState[], intent: AdjustmentIntent): Omit<AdjustmentPlan, "quantityAfter"> {
  const { delta, lotNumber, expiresAt, reason, today } = intent;
  if (lotNumber === null) {
    if (expiresAt !== null) throw errors.badUserInput("expiresAt needs a lotNumber", { field: "lotNumber" });
    return { lotChanges: [], movements: [{ lotNumber: null, delta }] };
  }
  const existing = lots.find((lot) => lot.lotNumber === lotNumber);
  const expiry = existing?.expiresAt ?? expiresAt;
  if (expiry === null)
    throw errors.badUserInput(`Lot ${lotNumber} is new here: expiresAt is required`, { field: "expiresAt" });
  if (existing && expiresAt !== null && expiresAt !== existing.expiresAt) {
    throw errors.badUserInput(`Lot ${lotNumber} expires on ${existing.expiresAt}, not ${expiresAt}`, {
      field: "expiresAt",
    });
  }
  // A count may find expired units that are physically there; loading them is another matter.
  if ((reason === "RESTOCK" || reason === "RETURNED") && isExpired(expiry, today)) {
    throw errors.badUserInput(`Lot ${lotNumber} expired on ${expiry}; it cannot go into a cabinet`, {
      field: "expiresAt",
    });
  }
  const change: LotChange = existing
    ? { kind: "update", id: existing.id, quantity: existing.quantity + delta }
    : { kind: "insert", lotNumber, expiresAt: expiry, quantity: delta };
  return { lotChanges: [change], movements: [{ lotNumber, delta }] };
}

function planNamedRemoval(lots: readonly LotState[], intent: AdjustmentIntent, need: number) {
  const lot = lots.find((candidate) => candidate.lotNumber === intent.lotNumber);
  if (!lot) throw errors.badUserInput(`Lot ${intent.lotNumber} is not in this dispenser`, { field: "lotNumber" });
  if (intent.reason === "DISPENSED" && isExpired(lot.expiresAt, intent.today)) {
    throw errors.badUserInput(`Lot ${lot.lotNumber} expired on ${lot.expiresAt} and cannot be dispensed`, {
      field: "lotNumber",
    });
  }
  if (lot.quantity < need) {
    throw errors.badUserInput(`Lot ${lot.lotNumber} holds only ${lot.quantity}`, {
      field: "delta",
      available: lot.quantity,
    });
  }
  return { lotChanges: [reduced(lot, need)], movements: [{ lotNumber: lot.lotNumber, delta: -need }] };
}

/** First-expiring first, over the lots this reason may draw from, then the unlotted units. */
function planFefoRemoval(quantity: number, lots: readonly LotState[], intent: AdjustmentIntent, need: number) {
  const { reason, today } = intent;
  const eligible = [...lots]
    .filter((lot) =>
      reason === "DISPENSED"
        ? !isExpired(lot.expiresAt, today)
        : reason === "EXPIRED"
          ? isExpired(lot.expiresAt, today)
          : true,
    )
    .sort(firstExpiringFirst);
  const unlotted = reason === "EXPIRED" ? 0 : Math.max(0, quantity - lots.reduce((sum, lot) => sum + lot.quantity, 0));
  const lotChanges: LotChange[] = [];
  const movements: MovementPart[] = [];
  let left = need;
  for (const lot of eligible) {
    if (left === 0) break;
    const take = Math.min(left, lot.quantity);
    if (take === 0) continue;
    lotChanges.push(reduced(lot, take));
    movements.push({ lotNumber: lot.lotNumber, delta: -take });
    left -= take;
  }
  if (left > 0 && unlotted >= left) {
    movements.push({ lotNumber: null, delta: -left });
    left = 0;
  }
  if (left > 0) {
    const available = need - left + unlotted;
    const what = reason === "DISPENSED" ? "unexpired units" : reason === "EXPIRED" ? "expired units" : "units";
    throw errors.badUserInput(`Only ${available} ${what} in stock; cannot remove ${need}`, {
      field: "delta",
      available,
    });
  }
  return { lotChanges, movements };
}

export function planAdjustment(quantity: number, lots: readonly LotState[], intent: AdjustmentIntent): AdjustmentPlan {
  const quantityAfter = quantity + intent.delta;
  if (intent.delta > 0) return { quantityAfter, ...planAddition(lots, intent) };
  if (intent.expiresAt !== null)
    throw errors.badUserInput("expiresAt applies only to units being added", { field: "expiresAt" });
  const need = -intent.delta;
  if (quantityAfter < 0) {
    throw errors.badUserInput(`Only ${quantity} in stock; cannot remove ${need}`, {
      field: "delta",
      available: quantity,
    });
  }
  const parts =
    intent.lotNumber !== null ? planNamedRemoval(lots, intent, need) : planFefoRemoval(quantity, lots, intent, need);
  return { quantityAfter, ...parts };
}
