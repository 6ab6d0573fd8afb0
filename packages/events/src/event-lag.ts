/**
 * Seconds from an event's `occurredAt` (ISO 8601 text, the producer's clock) to now, or null
 * when it is not a time. Another host's clock may run a little ahead: a negative lag is none.
 */
export function secondsSince(occurredAt: unknown): number | null {
  if (typeof occurredAt !== "string") return null;
  const at = Date.parse(occurredAt);
  return Number.isNaN(at) ? null : Math.max(0, (Date.now() - at) / 1_000);
}
