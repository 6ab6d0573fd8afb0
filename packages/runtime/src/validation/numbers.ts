import { invalidField } from "./invalid-field.js";

/** An integer of an input object within [min, max]; GraphQL's Int already stops at int4. */
export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidField(field, `${field} must be between ${min} and ${max}`);
  }
  return value;
}
