const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids are UUIDs in Postgres; anything else cannot name a row. Checking first keeps a
 * mistyped id a "not found" instead of a Postgres cast error (an internal error).
 */
export const isUuid = (id: string): boolean => uuidPattern.test(id);
