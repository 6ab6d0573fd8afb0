const calendarDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `YYYY-MM-DD` naming a real day (no 2026-02-30), or the UTC date of an ISO-8601 date-time
 * with a zone; null for anything else. Four-digit years only: Postgres' date range and
 * JavaScript's differ beyond them.
 */
export function calendarDateOf(value: string): string | null {
  const match = calendarDate.exec(value);
  if (match) {
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return date.toISOString().slice(0, 10) === value ? value : null;
  }
  if (isoDateTime.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString().slice(0, 10);
  }
  return null;
}
