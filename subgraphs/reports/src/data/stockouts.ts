import { sql, type SQL } from "drizzle-orm";
import { errors } from "@asky/runtime";
import type { ResolversTypes } from "../generated/resolvers-types.js";
import type { ReportsDb } from "./db.js";
import { allOf, MAX_REPORT_ROWS } from "./report-sql.js";

type StockoutRow = ResolversTypes["StockoutRow"];

export interface StockoutQuery {
  readonly from: Date;
  readonly to: Date;
  readonly dispenserId: string | null;
  readonly ward: string | null;
}

/**
 * Time at zero per stock level over [from, to), in one statement over the stock ledger facts,
 * without ordering the period's rows: a level's quantity is a step function that each ledger
 * row sets (rows are never of delta 0, and each row's quantity_before is the previous row's
 * quantity_after), so its spans at zero start at the rows that reach zero and end at the rows
 * that leave it. Time at zero is then the sum of the instants of the rows leaving zero minus
 * those of the rows reaching it, plus `from` taken off when the level opens the period at zero
 * (the first row's quantity_before: the quantity after the last row before the period; a level
 * with no row before the period is counted from its first row, what came before being unknown) and the
 * period's end added when it closes at zero. A level with no row in the period is at zero
 * throughout if its last row before the period left it there; those are found one index probe
 * per level (a loose scan of the (stock_level_id, seq) index). The period ends at `to`, or now
 * when `to` is still ahead: time that has not happened is not time at zero. Measured at a
 * million ledger rows of 2,000 levels: about 0.6 s for a month, 2.7 s for a year.
 */
export async function stockoutsReport(
  db: ReportsDb,
  query: StockoutQuery,
  wardScope: string | null,
): Promise<StockoutRow[]> {
  const filters = (row: SQL): SQL[] => {
    const conditions: SQL[] = [];
    if (wardScope !== null) conditions.push(sql`${row}.ward = ${wardScope}`);
    if (query.ward !== null) conditions.push(sql`${row}.ward = ${query.ward}`);
    if (query.dispenserId !== null) conditions.push(sql`${row}.dispenser_id = ${query.dispenserId}`);
    return conditions;
  };
  const inPeriod = allOf([sql`f.at >= b.start`, sql`f.at < b.stop`, ...filters(sql`f`)]);
  const quietKept = allOf([
    sql`k.stock_level_id IS NOT NULL`,
    sql`p.stock_level_id IS NULL`,
    sql`last.quantity_after = 0`,
    ...filters(sql`last`),
  ]);
  const result = await db.execute(sql`
    WITH RECURSIVE bounds AS (
      SELECT ${query.from.toISOString()}::timestamptz AS start,
        LEAST(${query.to.toISOString()}::timestamptz, now()) AS stop
    ),
    period AS (
      SELECT f.stock_level_id, min(f.seq) AS first_seq, max(f.seq) AS last_seq,
        COALESCE(sum(extract(epoch FROM f.at)) FILTER (WHERE f.quantity_before = 0), 0)
          - COALESCE(sum(extract(epoch FROM f.at)) FILTER (WHERE f.quantity_after = 0), 0) AS inner_seconds,
        count(*) FILTER (WHERE f.quantity_before > 0 AND f.quantity_after = 0)::int AS stockouts
      FROM reports.stock_movement_facts f, bounds b WHERE ${inPeriod}
      GROUP BY f.stock_level_id
    ),
    known AS (
      (SELECT stock_level_id FROM reports.stock_movement_facts ORDER BY stock_level_id LIMIT 1)
      UNION ALL
      SELECT (SELECT f.stock_level_id FROM reports.stock_movement_facts f
              WHERE f.stock_level_id > known.stock_level_id ORDER BY f.stock_level_id LIMIT 1)
      FROM known WHERE known.stock_level_id IS NOT NULL
    ),
    quiet AS (
      SELECT last.stock_level_id, last.dispenser_id, last.ward, last.item_id,
        extract(epoch FROM b.stop - b.start) AS seconds, 0 AS stockouts, true AS at_zero_at_end
      FROM known k
      CROSS JOIN bounds b
      LEFT JOIN period p ON p.stock_level_id = k.stock_level_id
      CROSS JOIN LATERAL (
        SELECT x.stock_level_id, x.dispenser_id, x.ward, x.item_id, x.quantity_after
        FROM reports.stock_movement_facts x
        WHERE x.stock_level_id = k.stock_level_id AND x.at < b.start ORDER BY x.seq DESC LIMIT 1
      ) last
      WHERE ${quietKept}
    ),
    moved AS (
      SELECT p.stock_level_id, first.dispenser_id, first.ward, first.item_id,
        p.inner_seconds
          - CASE WHEN first.quantity_before <> 0 THEN 0
              -- Before a level's first ledger row its quantity is unknown (a new cabinet slot,
              -- or stock older than the events): counted from that row, never from the period's start.
              WHEN EXISTS (SELECT 1 FROM reports.stock_movement_facts x
                           WHERE x.stock_level_id = p.stock_level_id AND x.seq < p.first_seq)
                THEN extract(epoch FROM b.start)
              ELSE extract(epoch FROM first.at) END
          + CASE WHEN last.quantity_after = 0 THEN extract(epoch FROM b.stop) ELSE 0 END AS seconds,
        p.stockouts, last.quantity_after = 0 AS at_zero_at_end
      FROM period p
      CROSS JOIN bounds b
      JOIN reports.stock_movement_facts first ON first.stock_level_id = p.stock_level_id AND first.seq = p.first_seq
      JOIN reports.stock_movement_facts last ON last.stock_level_id = p.stock_level_id AND last.seq = p.last_seq
    ),
    levels AS (SELECT * FROM moved UNION ALL SELECT * FROM quiet)
    SELECT l.stock_level_id, l.dispenser_id, l.ward, l.item_id, round(l.seconds, 3)::float8 AS seconds,
      l.stockouts, l.at_zero_at_end,
      (SELECT x.quantity_after = 0 FROM reports.stock_movement_facts x
       WHERE x.stock_level_id = l.stock_level_id ORDER BY x.seq DESC LIMIT 1) AS at_zero_now
    FROM levels l
    WHERE l.seconds > 0
    ORDER BY l.seconds DESC, l.dispenser_id, l.item_id
    LIMIT ${MAX_REPORT_ROWS + 1}`);
  if (result.rows.length > MAX_REPORT_ROWS) {
    throw errors.badUserInput(`The report has more than ${MAX_REPORT_ROWS} rows; ask for one cabinet or less time`, {
      reason: "TOO_MANY_ROWS",
      limit: MAX_REPORT_ROWS,
    });
  }
  return result.rows.map((row: Record<string, unknown>) => {
    const dispenserId = String(row["dispenser_id"]);
    const itemId = String(row["item_id"]);
    return {
      stockLevelId: String(row["stock_level_id"]),
      dispenserId,
      dispenser: { id: dispenserId },
      ward: String(row["ward"]),
      itemId,
      item: { id: itemId },
      secondsAtZero: Number(row["seconds"]),
      stockouts: Number(row["stockouts"]),
      atZeroAtEnd: row["at_zero_at_end"] === true,
      atZeroNow: row["at_zero_now"] === true,
    };
  });
}
