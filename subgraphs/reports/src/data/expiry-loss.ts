import { sql } from "drizzle-orm";
import { assertNever } from "@asky/runtime";
import type { ExpiryLossGroup, ResolversTypes } from "../generated/resolvers-types.js";
import type { ReportQuery } from "../validation/report-query.js";
import type { ReportsDb } from "./db.js";
import { allOf, groupedRows, hospitalClock, periodAndWard, type GroupColumn } from "./report-sql.js";

type ExpiryLossRow = ResolversTypes["ExpiryLossRow"];

function column(group: ExpiryLossGroup): GroupColumn {
  switch (group) {
    case "WARD":
      return { key: "ward", expression: sql`f.ward` };
    case "DISPENSER":
      return { key: "dispenserId", expression: sql`f.dispenser_id` };
    case "ITEM":
      return { key: "itemId", expression: sql`f.item_id` };
    case "DAY":
      return { key: "day", expression: sql`to_char(${hospitalClock(sql`f.at`)}, 'YYYY-MM-DD')` };
    case "MONTH":
      return { key: "month", expression: sql`to_char(${hospitalClock(sql`f.at`)}, 'YYYY-MM')` };
    default:
      return assertNever(group, "expiry loss group");
  }
}

/**
 * Units taken out of cabinets as expired in [from, to) (ledger rows of reason EXPIRED, whose
 * delta is the units removed, negative) and their cost at the unit cost the row was written
 * with (an unknown cost counts as 0).
 */
export async function expiryLossReport(
  db: ReportsDb,
  query: ReportQuery<ExpiryLossGroup>,
  wardScope: string | null,
): Promise<ExpiryLossRow[]> {
  const conditions = [sql`f.reason = 'EXPIRED'`, ...periodAndWard(sql`f.at`, query, wardScope)];
  const figures = sql.join(
    [
      sql`COALESCE(sum(-f.delta), 0)::int AS units`,
      sql`COALESCE(sum(-f.delta * COALESCE(f.unit_cost, 0)), 0)::numeric(14, 2)::text AS cost`,
      sql`count(*)::int AS movements`,
    ],
    sql`, `,
  );
  const rows = await groupedRows(
    db,
    query.groupBy.map(column),
    figures,
    sql`FROM reports.stock_movement_facts f WHERE ${allOf(conditions)}`,
  );
  return rows.map(({ group, row }) => ({
    group,
    units: Number(row["units"]),
    cost: String(row["cost"]),
    movements: Number(row["movements"]),
  }));
}
