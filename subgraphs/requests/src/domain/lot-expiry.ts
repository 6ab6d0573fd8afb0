/**
 * Lot expiry as the dispensers service reads it (its domain/clock.ts): a date printed on the
 * box, usable through that day in the hospital's time zone and expired from the next. A lot
 * the cabinet would call expired must not be sent to it.
 */
export const HOSPITAL_TIME_ZONE = "America/Sao_Paulo";

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

/** True when a lot expiring on `expiresAt` (`YYYY-MM-DD`) may no longer be used on `today`. */
export const isExpired = (expiresAt: string, today: string): boolean => expiresAt < today;
