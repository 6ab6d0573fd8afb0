/** A lot a line went out in, first-expiring first (as the requests service stores them). */
export interface LineLot {
  readonly lotNumber: string;
  /** `YYYY-MM-DD`; null for a material lot without a printed expiry. */
  readonly expiresAt: string | null;
  readonly quantity: number;
}

/** Dated lots by expiry, undated ones last; ties by lot number, so the order is total. */
function firstExpiringFirst(a: LineLot, b: LineLot): number {
  if (a.expiresAt !== b.expiresAt) {
    if (a.expiresAt === null) return 1;
    if (b.expiresAt === null) return -1;
    return a.expiresAt.localeCompare(b.expiresAt);
  }
  return a.lotNumber.localeCompare(b.lotNumber);
}

/**
 * The lots `units` of a line come from, given the lots it was dispatched in (first-expiring
 * first, undated last). All of them when every dispatched unit is counted; when the ward
 * received fewer, nobody knows which units went missing, so the received ones are taken
 * first-expiring first. That is the safe guess: if the truth was a later lot, the cabinet
 * believes its units expire sooner than they do and uses or discards them early; the
 * other guess would let a unit outlive its printed expiry in the cabinet's records.
 * Units beyond the dispatched lots (more counted than sent) have no known lot.
 */
export function lotsOfUnits(dispatched: readonly LineLot[], units: number): LineLot[] {
  const lots: LineLot[] = [];
  let left = units;
  for (const lot of [...dispatched].sort(firstExpiringFirst)) {
    if (left === 0) break;
    const quantity = Math.min(left, lot.quantity);
    lots.push({ lotNumber: lot.lotNumber, expiresAt: lot.expiresAt, quantity });
    left -= quantity;
  }
  return lots;
}
