import { errors, inputText, optionalInputText, type TextShape } from "@asky/common";

/**
 * String inputs: every one is trimmed and bounded here, so an oversized or blank value is a
 * BAD_USER_INPUT naming the field instead of a database error (or a 1 MB cabinet name).
 * Which characters a text may hold is @asky/common's inputText: notes and descriptions are
 * `multiline`, everything else a single line.
 */
const codePattern = /^[A-Z0-9][A-Z0-9_-]*$/;

export const LIMITS = {
  dispenserCode: 40,
  itemCode: 60,
  wardCode: 40,
  name: 160,
  floor: 40,
  location: 200,
  unit: 30,
  shortText: 80,
  description: 500,
  note: 500,
  lotNumber: 40,
  qrPayload: 256,
} as const;

/** A required text: trimmed, not blank, at most `max` characters, no control characters. */
export function requiredText(value: string, field: string, max: number, shape: TextShape = "line"): string {
  const text = inputText(value, { field }, { max, shape });
  if (text.length === 0) throw errors.badUserInput(`${field} must not be blank`, { field });
  return text;
}

/** An optional text: null or blank means "none". */
export function optionalText(value: string | null | undefined, field: string, max: number, shape: TextShape = "line"): string | null {
  return optionalInputText(value, { field }, { max, shape });
}

/** An uppercase code (cabinet, ward, formulary); lowercase input is accepted and uppercased. */
export function codeText(value: string, field: string, max: number): string {
  const code = requiredText(value, field, max).toUpperCase();
  if (!codePattern.test(code)) {
    throw errors.badUserInput(`${field} may contain only letters, digits, - and _`, { field });
  }
  return code;
}

/**
 * For update inputs: `undefined` (not sent) leaves the field alone; `null` on a field that
 * cannot be empty is refused rather than silently ignored.
 */
export function changed<T, R = T>(value: T | null | undefined, field: string, validate: (value: T) => R): R | undefined {
  if (value === undefined) return undefined;
  if (value === null) throw errors.badUserInput(`${field} cannot be null`, { field });
  return validate(value);
}

/** For update inputs of nullable fields: `undefined` leaves it, null or blank clears it. */
export function changedOptional(
  value: string | null | undefined,
  field: string,
  max: number,
  shape: TextShape = "line",
): string | null | undefined {
  return value === undefined ? undefined : optionalText(value, field, max, shape);
}
