import { invalidField } from "./invalid-field.js";
import { optionalText, type TextShape } from "./text.js";

/**
 * Update inputs: `undefined` (not sent) leaves the field alone; `null` on a field that cannot
 * be empty is refused rather than silently ignored.
 */
export function changed<T, R = T>(
  value: T | null | undefined,
  field: string,
  validate: (value: T) => R,
): R | undefined {
  if (value === undefined) return undefined;
  if (value === null) throw invalidField(field, `${field} cannot be null`);
  return validate(value);
}

/** Update inputs of nullable text: `undefined` leaves it, null or blank clears it. */
export function changedOptional(
  value: string | null | undefined,
  field: string,
  max: number,
  shape: TextShape = "line",
): string | null | undefined {
  return value === undefined ? undefined : optionalText(value, field, max, shape);
}
