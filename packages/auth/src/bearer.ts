/** The token of an `Authorization: Bearer <token>` value; null when absent or malformed. */
export function parseBearer(header: unknown): string | null {
  if (typeof header !== "string") return null;
  return /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] ?? null;
}
