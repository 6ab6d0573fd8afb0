import { InvalidEventError } from "./envelope.js";
import { fieldsOf, nullable, positiveCount, text, type Reader } from "./fields.js";

/** A lot of units in an event (picked, dispatched, delivered). */
export interface PickedLot {
  readonly lotNumber: string;
  /** Calendar date `YYYY-MM-DD`; null for a material lot without a printed expiry. */
  readonly expiresAt: string | null;
  readonly quantity: number;
}

/** A calendar date `YYYY-MM-DD` (a lot's printed expiry), kept as the string it was. */
export const calendarDate: Reader<string> = (value, path) => {
  const date = text(value, path);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InvalidEventError(`${path} is missing or not a calendar date`);
  return date;
};

/** One lot of units in an event: number, expiry (null for a material lot without one), quantity. */
export function parseLot(raw: unknown, path: string): PickedLot {
  const field = fieldsOf(raw, path);
  return {
    lotNumber: field("lotNumber", text),
    expiresAt: field("expiresAt", nullable(calendarDate)),
    quantity: field("quantity", positiveCount),
  };
}
