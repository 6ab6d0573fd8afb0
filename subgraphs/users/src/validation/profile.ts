import { invalidField, textFault } from "@asky/runtime";
import { type Role } from "@asky/contracts";

export const NICKNAME_LENGTH = { min: 2, max: 40 } as const;
export const FULL_NAME_LENGTH = { min: 3, max: 120 } as const;

// Beyond what every text refuses (textFault), invisible formatting characters let two names
// look identical on screen.
const formatCharacters = /\p{Cf}/u;

/**
 * A name, trimmed and with runs of spaces made one. The characters are checked before the
 * spaces are folded, so a tab or a line break inside a name is refused like in every other
 * single-line text, not quietly turned into a space.
 */
function normalizeName(input: string, field: string, label: string, bounds: { min: number; max: number }): string {
  const trimmed = input.normalize("NFC").trim();
  if (textFault(trimmed) !== null || formatCharacters.test(trimmed)) {
    throw invalidField(field, `${label} contains invalid characters`);
  }
  const name = trimmed.replace(/\s+/g, " ");
  const length = [...name].length;
  if (length < bounds.min || length > bounds.max) {
    throw invalidField(field, `${label} must have ${bounds.min} to ${bounds.max} characters`);
  }
  return name;
}

export const normalizeNickname = (input: string, field = "nickname") =>
  normalizeName(input, field, "Nickname", NICKNAME_LENGTH);

export const normalizeFullName = (input: string, field = "fullName") =>
  normalizeName(input, field, "Full name", FULL_NAME_LENGTH);

/**
 * A nurse's ward decides which requests she sees and may confirm, so a nurse without one
 * would be useless at best; pharmacy staff and admins work hospital-wide and carry none.
 */
export function checkRoleWard(role: Role, ward: string | null, field = "ward"): void {
  if (role === "NURSE" && ward === null) throw invalidField(field, "A nurse must be assigned to a ward");
  if (role !== "NURSE" && ward !== null) throw invalidField(field, "Only nurses are assigned to a ward");
}
