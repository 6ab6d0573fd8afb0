/** Order statistics over raw samples (milliseconds unless said otherwise). */

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of already sorted values; NaN for none. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const asArray = Array.from(sorted);
  let sum = 0;
  for (const value of asArray) sum += value;
  return {
    count: asArray.length,
    p50: percentileOfSorted(asArray, 50),
    p99: percentileOfSorted(asArray, 99),
    max: asArray.length ? asArray[asArray.length - 1]! : Number.NaN,
    mean: asArray.length ? sum / asArray.length : Number.NaN,
  };
}

/** Formats a number for the table: 1 decimal under 100, none above. */
export function fmt(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return "–";
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toFixed(d);
}

export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}
