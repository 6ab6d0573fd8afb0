/**
 * Postgres errors, read through drizzle's wrapper: a DrizzleQueryError keeps the driver's
 * error as `cause`. A unique violation that slips past a pre-check (two admins creating the
 * same code at once) is the client's CONFLICT, not an internal error, and the constraint it
 * hit says which input field to blame.
 */
const UNIQUE_VIOLATION = "23505";

interface PgErrorFields {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly cause?: unknown;
}

/**
 * The constraint a unique violation hit ("" when Postgres did not name one), or null when
 * `error` is not one. The driver's error is looked for along a few `cause` links: drizzle
 * wraps it once, and a caller may have wrapped it again.
 */
export function uniqueViolation(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const fields = current as PgErrorFields;
    if (fields.code === UNIQUE_VIOLATION) return typeof fields.constraint === "string" ? fields.constraint : "";
    current = fields.cause;
  }
  return null;
}

/** True when `error` is a unique violation of `constraint`. */
export const isUniqueViolation = (error: unknown, constraint: string): boolean => uniqueViolation(error) === constraint;
