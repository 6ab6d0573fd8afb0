
/**
 * Ids are UUIDs in Postgres; anything else cannot name a row. Checking first keeps a
 * mistyped id a "not found" instead of a Postgres cast error (an internal error).
 */
export { isUuid } from "@asky/common";
