/**
 * Calendar dates as the hospital sees them. Lot expiry is a date printed on the box, so
 * "expired" must flip at local midnight in the hospital, not at midnight UTC (three hours
 * earlier in Brazil). The demo hospital is in São Paulo's time zone.
 */
export const HOSPITAL_TIME_ZONE = "America/Sao_Paulo";

const DAY_MS = 86_400_000;
const formatter = new Intl.DateTimeFormat("en-CA", {
  timeZone: HOSPITAL_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date in the hospital, `YYYY-MM-DD`. */
export function hospitalToday(now: Date = new Date()): string {
  return formatter.format(now);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** A lot may be used through its expiry date and is expired from the next day on. */
export const isExpired = (expiresAt: string, today: string): boolean => expiresAt < today;
