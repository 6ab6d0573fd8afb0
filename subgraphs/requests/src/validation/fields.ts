import { errors, isUuid } from "@asky/common";

export { isUuid };

/** A UUID-shaped id, lowercased so that the same id always compares (and hashes) equal. */
export function uuidField(value: string, field: string): string {
  if (!isUuid(value)) throw errors.badUserInput(`${field} is not a valid id`, { field });
  return value.toLowerCase();
}

/** Trimmed free text, null when blank, BAD_USER_INPUT beyond `max` characters. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length > max) throw errors.badUserInput(`${field} is limited to ${max} characters`, { field });
  return trimmed;
}

export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw errors.badUserInput(`${field} must be between ${min} and ${max}`, { field });
  }
  return value;
}
