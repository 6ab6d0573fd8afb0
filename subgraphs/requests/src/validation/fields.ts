import { errors, isUuid, optionalInputText, textFault, type TextShape } from "@asky/common";

export { isUuid };

/** A UUID-shaped id, lowercased so that the same id always compares (and hashes) equal. */
export function uuidField(value: string, field: string): string {
  if (!isUuid(value)) throw errors.badUserInput(`${field} is not a valid id`, { field });
  return value.toLowerCase();
}

/**
 * Trimmed free text, null when blank, BAD_USER_INPUT beyond `max` characters or holding what
 * @asky/common's inputText refuses (notes and reasons are `multiline`).
 */
export function optionalText(value: string | null | undefined, field: string, max: number, shape: TextShape = "line"): string | null {
  return optionalInputText(value, { field }, { max, shape });
}

/**
 * A client-chosen key compared as given: not trimmed (" a" and "a" are two keys), but still
 * one line of valid text, since it is stored and shown to whoever investigates a duplicate.
 */
export function keyText(value: string, field: string, max: number): string {
  if (value.length < 1 || value.length > max) {
    throw errors.badUserInput(`${field} must have 1 to ${max} characters`, { field });
  }
  const fault = textFault(value);
  if (fault !== null) throw errors.badUserInput(`${field} ${fault}`, { field });
  return value;
}

export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw errors.badUserInput(`${field} must be between ${min} and ${max}`, { field });
  }
  return value;
}
