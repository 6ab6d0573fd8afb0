import { sql, type SQL } from "drizzle-orm";
import { errors, HOSPITAL_TIME_ZONE } from "@asky/runtime";
import type { ReportGroup } from "../generated/resolvers-types.js";
import type { ReportsDb } from "./db.js";

export type ReportGroupValues = ReportGroup;

/** Rows in one answer; a larger table is refused, to be asked with fewer groups or less time. */
export const MAX_REPORT_ROWS = 5_000;

/** The key a group is answered under in ReportGroup, and how SQL computes it. */
export interface GroupColumn {
  readonly key: keyof ReportGroupValues;
  readonly expression: SQL;
}

/** `instant` as the hospital's wall clock (a timestamp without zone), for hours, days, months. */
export const hospitalClock = (instant: SQL) => sql`(${instant} AT TIME ZONE ${HOSPITAL_TIME_ZONE})`;

/** `SELECT <groups>, <figures> FROM ... WHERE ... GROUP BY <groups> ORDER BY <groups>`, bounded. */
export async function groupedRows(
  db: ReportsDb,
  groups: readonly GroupColumn[],
  figures: SQL,
  from: SQL,
): Promise<{ group: ReportGroupValues; row: Record<string, unknown> }[]> {
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
    const group: ReportGroupValues = {
      priority: null,
      kind: null,
      ward: null,
      hour: null,
      dispenserId: null,
      itemId: null,
      day: null,
      month: null,
    };
    groups.forEach((column, index) => {
      (group as Record<string, unknown>)[column.key] = row[`g${index}`] ?? null;
    });
    return { group, row };
  });
}

/** Conditions joined with AND (a list never empty: the period is always one). */
export const allOf = (conditions: readonly SQL[]) => sql.join([...conditions], sql` AND `);

/** A Postgres numeric or float that may come back as a string; null stays null. */
export const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
