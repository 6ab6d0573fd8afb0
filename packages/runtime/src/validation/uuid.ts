import { isUuid } from "@asky/contracts";
import { invalidField } from "./invalid-field.js";

/**
 * A required id of an input object: a UUID, lowercased so that the same id always compares
 * (and hashes) equal. Anything else is refused before it meets Postgres' uuid cast, which
 * would otherwise fail the statement as an internal error.
 */
export function uuidField(value: string, field: string): string {
  if (!isUuid(value)) throw invalidField(field, `${field} is not a valid id`);
  return value.toLowerCase();
}
