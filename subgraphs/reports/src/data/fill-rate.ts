import { sql } from "drizzle-orm";
import { assertNever } from "@asky/runtime";
import type { FillRateGroup, ResolversTypes } from "../generated/resolvers-types.js";
import type { ReportQuery } from "../validation/report-query.js";
import type { ReportsDb } from "./db.js";
import { allOf, groupedRows, periodAndWard, type GroupColumn } from "./report-sql.js";

type FillRateRow = ResolversTypes["FillRateRow"];

function column(group: FillRateGroup): GroupColumn {
  switch (group) {
    case "PRIORITY":
      return { key: "priority", expression: sql`f.priority` };
    case "WARD":
      return { key: "ward", expression: sql`f.ward` };
    case "KIND":
      return { key: "kind", expression: sql`f.kind` };
    case "DISPENSER":
      return { key: "dispenserId", expression: sql`f.dispenser_id` };
    case "ITEM":
      return { key: "itemId", expression: sql`l.item_id` };
    default:
      return assertNever(group, "fill rate group");
  }
}

/**
 * Lines asked for in delivered requests made in [from, to), and those filled: what arrived
 * (as counted on receipt, else as dispatched, else the line went out whole, as every line did
 * before line-level picking) is at least what was asked for.
 */
export async function fillRateReport(
  db: ReportsDb,
  query: ReportQuery<FillRateGroup>,
  wardScope: string | null,
): Promise<FillRateRow[]> {
  const conditions = [
    ...periodAndWard(sql`f.created_at`, query, wardScope),
    sql`f.status = 'DELIVERED'`,
    sql`NOT l.substitute`,
    sql`l.quantity_requested IS NOT NULL`,
  ];
  const arrived = sql`COALESCE(l.quantity_received, l.quantity_dispatched, l.quantity_requested)`;
  const figures = sql`count(*)::int AS requested, (count(*) FILTER (WHERE ${arrived} >= l.quantity_requested))::int AS filled`;
  const rows = await groupedRows(
    db,
    query.groupBy.map(column),
    figures,
    sql`FROM reports.request_line_facts l JOIN reports.request_facts f USING (request_id) WHERE ${allOf(conditions)}`,
  );
  return rows.map(({ group, row }) => {
    const linesRequested = Number(row["requested"]);
    const linesFilled = Number(row["filled"]);
    return { group, linesRequested, linesFilled, fillRate: linesRequested === 0 ? null : linesFilled / linesRequested };
  });
}
