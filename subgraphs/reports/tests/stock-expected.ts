/**
 * The stock reports' figures computed in the test, walking the dispensers ledger row by row:
 * an implementation of the definitions apart from the read model's SQL.
 */
import type { LedgerRow } from "./stock-support.js";

/** Byte order, as Postgres orders uuids and these ASCII codes. */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface ExpectedStockout {
  stockLevelId: string;
  dispenserId: string;
  ward: string;
  itemId: string;
  secondsAtZero: number;
  stockouts: number;
  atZeroAtEnd: boolean;
  atZeroNow: boolean;
}

/** Time at zero per level over [from, to), `to` being in the past. Longest first, as the report orders. */
export function expectedStockouts(ledger: readonly LedgerRow[], from: Date, to: Date): ExpectedStockout[] {
  const levels = new Map<string, LedgerRow[]>();
  for (const row of [...ledger].sort((a, b) => a.seq - b.seq)) {
    levels.set(row.stockLevelId, [...(levels.get(row.stockLevelId) ?? []), row]);
  }
  const result: ExpectedStockout[] = [];
  for (const rows of levels.values()) {
    const known = rows.filter((row) => row.at.getTime() < to.getTime());
    if (known.length === 0) continue;
    const before = known.filter((row) => row.at.getTime() < from.getTime());
    const within = known.filter((row) => row.at.getTime() >= from.getTime());
    let quantity = before.length > 0 ? before.at(-1)!.quantityAfter : within[0]!.quantityBefore;
    // A level first seen in the period: what it held before its first row is unknown, not zero.
    let since = before.length > 0 ? from.getTime() : within[0]!.at.getTime();
    let zeroMs = 0;
    let stockouts = 0;
    for (const row of within) {
      if (quantity === 0) zeroMs += Math.max(0, row.at.getTime() - since);
      if (row.quantityBefore > 0 && row.quantityAfter === 0) stockouts += 1;
      quantity = row.quantityAfter;
      since = row.at.getTime();
    }
    if (quantity === 0) zeroMs += Math.max(0, to.getTime() - since);
    if (zeroMs === 0) continue;
    const first = rows[0]!;
    result.push({
      stockLevelId: first.stockLevelId,
      dispenserId: first.dispenserId,
      ward: first.ward,
      itemId: first.itemId,
      secondsAtZero: zeroMs / 1000,
      stockouts,
      atZeroAtEnd: quantity === 0,
      atZeroNow: rows.at(-1)!.quantityAfter === 0,
    });
  }
  return result.sort(
    (a, b) => b.secondsAtZero - a.secondsAtZero || byBytes(a.dispenserId, b.dispenserId) || byBytes(a.itemId, b.itemId),
  );
}

/** Units and cost (BRL, two decimals) of EXPIRED rows in [from, to), per ward and item, ordered so. */
export function expectedExpiryLoss(ledger: readonly LedgerRow[], from: Date, to: Date) {
  const groups = new Map<string, { ward: string; itemId: string; units: number; cents: number; movements: number }>();
  for (const row of ledger) {
    if (row.reason !== "EXPIRED" || row.at < from || row.at >= to) continue;
    const key = `${row.ward} ${row.itemId}`;
    const group = groups.get(key) ?? { ward: row.ward, itemId: row.itemId, units: 0, cents: 0, movements: 0 };
    group.units += -row.delta;
    group.cents += -row.delta * row.unitCostCents;
    group.movements += 1;
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => byBytes(a.ward, b.ward) || byBytes(a.itemId, b.itemId))
    .map(({ ward, itemId, units, cents, movements }) => ({
      group: { ward, itemId },
      units,
      cost: (cents / 100).toFixed(2),
      movements,
    }));
}
