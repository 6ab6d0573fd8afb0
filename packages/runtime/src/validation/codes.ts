import { invalidField } from "./invalid-field.js";
import { requiredText } from "./text.js";

/**
 * Codes people type and read back: cabinets (PYX-UTI-01), formulary items
 * (MED-DIPIRONA-500-CP) and wards (UTI-ADULTO). The pattern is the one the database checks on
 * its code columns, so whatever passes here is storable, and a ward code one service accepts
 * is a ward code to every other.
 */
const codePattern = /^[A-Z0-9][A-Z0-9_-]*$/;

/** Longest ward code: wards are named in dispensers, users and requests alike. */
export const WARD_CODE_LENGTH = 40;

/** An uppercase code, required; lowercase input is accepted and uppercased. */
export function codeText(value: string, field: string, max: number): string {
  const code = requiredText(value, field, max).toUpperCase();
  if (!codePattern.test(code)) throw invalidField(field, `${field} may contain only letters, digits, - and _`);
  return code;
}

/** A ward code, such as UTI-ADULTO. */
export const wardCode = (value: string, field = "ward"): string => codeText(value, field, WARD_CODE_LENGTH);
