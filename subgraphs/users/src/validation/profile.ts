import { textFault, type Role } from "@asky/common";
import { invalidField } from "./field-error.js";

export const NICKNAME_LENGTH = { min: 2, max: 40 } as const;
export const FULL_NAME_LENGTH = { min: 3, max: 120 } as const;

// Beyond what every text refuses (textFault), invisible formatting characters let two names
// look identical on screen.
const formatCharacters = /\p{Cf}/u;

function normalizeName(input: string, field: string, label: string, bounds: { min: number; max: number }): string {
  const name = input.normalize("NFC").trim().replace(/\s+/g, " ");
  if (textFault(name) !== null || formatCharacters.test(name)) throw invalidField(field, `${label} contains invalid characters`);
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

/** Ward codes as the dispensers service spells them: UTI-ADULTO, PEDIATRIA, … */
const wardCode = /^[A-Z0-9](?:[A-Z0-9-]{0,38}[A-Z0-9])?$/;

export function normalizeWard(input: string, field = "ward"): string {
  const ward = input.trim().toUpperCase();
  if (!wardCode.test(ward)) throw invalidField(field, "Ward must be a ward code such as UTI-ADULTO");
  return ward;
}

/**
 * A nurse's ward decides which requests she sees and may confirm, so a nurse without one
 * would be useless at best; pharmacy staff and admins work hospital-wide and carry none.
 */
export function checkRoleWard(role: Role, ward: string | null, field = "ward"): void {
  if (role === "NURSE" && ward === null) throw invalidField(field, "A nurse must be assigned to a ward");
  if (role !== "NURSE" && ward !== null) throw invalidField(field, "Only nurses are assigned to a ward");
}
