import { sql, type SQL } from "drizzle-orm";
import { errors, HOSPITAL_TIME_ZONE } from "@asky/runtime";
import type { RequestKind, RequestPriority } from "@asky/contracts";
import type { ReportsDb } from "./db.js";

/** The values a row stands for; null for what it is not grouped by. */
export interface ReportGroupRow {
  priority: RequestPriority | null;
  kind: RequestKind | null;
  ward: string | null;
  hour: number | null;
  dispenserId: string | null;
  itemId: string | null;
  therapeuticClass: string | null;
  day: string | null;
  month: string | null;
}

/** Rows in one answer; a larger table is refused, to be asked with fewer groups or less time. */
export const MAX_REPORT_ROWS = 5_000;

/** The key a group is answered under in ReportGroup, and how SQL computes it. */
export interface GroupColumn {
  readonly key: keyof ReportGroupRow;
  readonly expression: SQL;
}

/** `instant` as the hospital's wall clock (a timestamp without zone), for hours, days, months. */
export const hospitalClock = (instant: SQL) => sql`(${instant} AT TIME ZONE ${HOSPITAL_TIME_ZONE})`;

/**
 * What every report keeps of its rows: `instant` (the report's own time column of alias `f`) in
 * [from, to), and the ward when a nurse asks (her own only) or when the caller names one.
 */
export function periodAndWard(
  instant: SQL,
  query: { readonly from: Date; readonly to: Date; readonly ward: string | null },
  wardScope: string | null,
): SQL[] {
  const conditions = [
    sql`${instant} >= ${query.from.toISOString()}::timestamptz`,
    sql`${instant} < ${query.to.toISOString()}::timestamptz`,
  ];
  if (wardScope !== null) conditions.push(sql`f.ward = ${wardScope}`);
  if (query.ward !== null) conditions.push(sql`f.ward = ${query.ward}`);
  return conditions;
}

/** `SELECT <groups>, <figures> FROM ... WHERE ... GROUP BY <groups> ORDER BY <groups>`, bounded. */
export async function groupedRows(
  db: ReportsDb,
  groups: readonly GroupColumn[],
  figures: SQL,
  from: SQL,
): Promise<{ group: ReportGroupRow; row: Record<string, unknown> }[]> {
  const selected = groups.map((group, index) => sql`${group.expression} AS ${sql.identifier(`g${index}`)}`);
  const positions = groups.map((_group, index) => sql.raw(String(index + 1)));
  const grouping = groups.length === 0 ? sql`` : sql` GROUP BY ${sql.join(positions, sql`, `)}`;
  const ordering = groups.length === 0 ? sql`` : sql` ORDER BY ${sql.join(positions, sql`, `)}`;
  const result = await db.execute(
    sql`SELECT ${sql.join([...selected, figures], sql`, `)} ${from}${grouping}${ordering} LIMIT ${MAX_REPORT_ROWS + 1}`,
  );
  if (result.rows.length > MAX_REPORT_ROWS) {
    throw errors.badUserInput(`The report has more than ${MAX_REPORT_ROWS} rows; group by less or ask for less time`, {
      reason: "TOO_MANY_ROWS",
      limit: MAX_REPORT_ROWS,
    });
  }
  return result.rows.map((row: Record<string, unknown>) => {
    const values: Record<string, unknown> = {
      priority: null,
      kind: null,
      ward: null,
      hour: null,
      dispenserId: null,
      itemId: null,
      therapeuticClass: null,
      day: null,
      month: null,
    };
    groups.forEach((column, index) => {
      values[column.key] = row[`g${index}`] ?? null;
    });
    // The SQL computes each key from the column of its type (the schema's checks keep them valid).
    return { group: values as unknown as ReportGroupRow, row };
  });
}

/** Conditions joined with AND (a list never empty: the period is always one). */
export const allOf = (conditions: readonly SQL[]) => sql.join([...conditions], sql` AND `);

/** A Postgres numeric or float that may come back as a string; null stays null. */
export const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
