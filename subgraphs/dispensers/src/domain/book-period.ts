import { errors, hospitalToday } from "@asky/runtime";

/** A book covers at most a year (and a day, for leap years): hostile ranges stay bounded. */
export const MAX_BOOK_DAYS = 366;
/** Entries in one answer; a larger book is refused, to be asked per item or for less time. */
export const MAX_BOOK_ENTRIES = 5_000;

const DAY_MS = 86_400_000;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface BookRange {
  readonly from: Date;
  readonly to: Date;
}

/** [from, to): forward, at most MAX_BOOK_DAYS long, not starting in the future. */
export function checkBookRange(from: Date, to: Date, now: Date = new Date()): BookRange {
  if (!(from.getTime() < to.getTime())) {
    throw errors.badUserInput("from must be before to", { field: "to", reason: "INVALID_RANGE" });
  }
  if (from.getTime() > now.getTime()) {
    throw errors.badUserInput("from is in the future", { field: "from", reason: "INVALID_RANGE" });
  }
  if (to.getTime() - from.getTime() > MAX_BOOK_DAYS * DAY_MS) {
    throw errors.badUserInput(`The range is limited to ${MAX_BOOK_DAYS} days`, {
      field: "to",
      reason: "RANGE_TOO_LONG",
      limit: MAX_BOOK_DAYS,
    });
  }
  return { from, to };
}

/**
 * A month to close, `YYYY-MM` in the hospital's calendar: from 2000 on (nothing older is in a
 * ledger) up to the current month (closing it freezes its remaining days); never a future one.
 */
export function checkClosableMonth(month: string, today: string = hospitalToday()): string {
  const match = month.length === 7 ? MONTH.exec(month) : null;
  if (!match || Number(match[1]) < 2000) {
    throw errors.badUserInput("month must be YYYY-MM", { field: "month", reason: "INVALID_MONTH" });
  }
  if (month > today.slice(0, 7)) {
    throw errors.badUserInput(`${month} has not begun; only past months and the current one can be closed`, {
      field: "month",
      reason: "FUTURE_PERIOD",
    });
  }
  return month;
}
