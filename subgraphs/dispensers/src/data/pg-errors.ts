/**
 * Reads a Postgres error through drizzle's wrapper (DrizzleQueryError keeps the driver's
 * error as `cause`), so a unique violation that slipped past a pre-check (two admins
 * creating the same code at once) can still become a CONFLICT.
 */
interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
}

function pgFields(error: unknown): PgErrorFields | null {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === "object" && current !== null; depth++) {
    const fields = current as PgErrorFields & { cause?: unknown };
    if (typeof fields.code === "string") return fields;
    current = fields.cause;
  }
  return null;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const fields = pgFields(error);
  return fields?.code === "23505" && fields.constraint === constraint;
}
