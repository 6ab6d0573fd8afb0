import { sql } from "drizzle-orm";
import { assertNever } from "@asky/runtime";
import type { ConsumptionGroup, ResolversTypes } from "../generated/resolvers-types.js";
import type { ReportQuery } from "../validation/report-query.js";
import type { ReportsDb } from "./db.js";
import { allOf, groupedRows, hospitalClock, periodAndWard, type GroupColumn } from "./report-sql.js";

type ConsumptionRow = ResolversTypes["ConsumptionRow"];

function column(group: ConsumptionGroup): GroupColumn {
  switch (group) {
    case "WARD":
      return { key: "ward", expression: sql`f.ward` };
    case "DISPENSER":
      return { key: "dispenserId", expression: sql`f.dispenser_id` };
    case "ITEM":
      return { key: "itemId", expression: sql`l.item_id` };
    case "THERAPEUTIC_CLASS":
      // Null (no known class) is a group of its own: GROUP BY puts nulls together.
      return { key: "therapeuticClass", expression: sql`l.therapeutic_class` };
    case "DAY":
      return { key: "day", expression: sql`to_char(${hospitalClock(sql`f.delivered_at`)}, 'YYYY-MM-DD')` };
    case "MONTH":
      return { key: "month", expression: sql`to_char(${hospitalClock(sql`f.delivered_at`)}, 'YYYY-MM')` };
    default:
      return assertNever(group, "consumption group");
  }
}

/**
 * What requests delivered in [from, to) brought to the wards: units (received, else
 * dispatched, else asked for), their cost at the unit cost frozen at request time (unknown for
 * events written before costs were in them: counted as 0), and the requests.
 */
export async function consumptionReport(
  db: ReportsDb,
  query: ReportQuery<ConsumptionGroup>,
  wardScope: string | null,
): Promise<ConsumptionRow[]> {
  const conditions = periodAndWard(sql`f.delivered_at`, query, wardScope);
  const units = sql`COALESCE(l.quantity_received, l.quantity_dispatched, l.quantity_requested, 0)`;
  const figures = sql.join(
    [
      sql`COALESCE(sum(${units}), 0)::int AS quantity`,
      sql`COALESCE(sum(${units} * COALESCE(l.unit_cost, 0)), 0)::numeric(14, 2)::text AS cost`,
      sql`count(DISTINCT f.request_id)::int AS requests`,
    ],
    sql`, `,
  );
  const rows = await groupedRows(
    db,
    query.groupBy.map(column),
    figures,
    sql`FROM reports.request_line_facts l JOIN reports.request_facts f USING (request_id) WHERE ${allOf(conditions)}`,
  );
  return rows.map(({ group, row }) => ({
    group,
    quantity: Number(row["quantity"]),
    cost: String(row["cost"]),
    requests: Number(row["requests"]),
  }));
}
