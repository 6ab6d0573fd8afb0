import { sql, type SQL } from "drizzle-orm";
import { assertNever } from "@asky/runtime";
import type { TurnaroundGroup, ResolversTypes } from "../generated/resolvers-types.js";
import type { ReportQuery } from "../validation/report-query.js";
import type { ReportsDb } from "./db.js";
import { allOf, groupedRows, hospitalClock, numberOrNull, periodAndWard, type GroupColumn } from "./report-sql.js";

type TurnaroundRow = ResolversTypes["TurnaroundRow"];

type Stage = "accepted" | "dispatched" | "delivered";
const stages: readonly Stage[] = ["accepted", "dispatched", "delivered"];

function column(group: TurnaroundGroup): GroupColumn {
  switch (group) {
    case "PRIORITY":
      return { key: "priority", expression: sql`f.priority` };
    case "WARD":
      return { key: "ward", expression: sql`f.ward` };
    case "KIND":
      return { key: "kind", expression: sql`f.kind` };
    case "HOUR":
      return { key: "hour", expression: sql`extract(hour FROM ${hospitalClock(sql`f.created_at`)})::int` };
    default:
      return assertNever(group, "turnaround group");
  }
}

/** Count and percentiles (percentile_cont, over the requests that got there) of one stage, in minutes. */
function stageFigures(stage: Stage): SQL {
  const minutes = sql`extract(epoch FROM f.${sql.identifier(`${stage}_at`)} - f.created_at) / 60`;
  const percentile = (share: number, name: string) =>
    sql`percentile_cont(${sql.raw(String(share))}) WITHIN GROUP (ORDER BY ${minutes}) AS ${sql.identifier(`${stage}_${name}`)}`;
  return sql.join(
    [
      sql`count(f.${sql.identifier(`${stage}_at`)})::int AS ${sql.identifier(`${stage}_count`)}`,
      percentile(0.5, "p50"),
      percentile(0.9, "p90"),
      percentile(0.95, "p95"),
    ],
    sql`, `,
  );
}

/**
 * Settled requests (delivered, or breached at any stage) and those of them never breached,
 * for withinSla; and the breached. A breach is final whatever follows, so a breached request
 * counts as settled even while it is still open.
 */
const slaFigures = sql.join(
  [
    sql`count(*) FILTER (WHERE f.delivered_at IS NOT NULL OR f.sla_breached_at IS NOT NULL)::int AS sla_settled`,
    sql`count(*) FILTER (WHERE f.delivered_at IS NOT NULL AND f.sla_breached_at IS NULL)::int AS sla_met`,
    sql`count(f.sla_breached_at)::int AS sla_breached`,
  ],
  sql`, `,
);

/** The share of settled requests never breached; null when none is settled. */
function withinSla(row: Record<string, unknown>): number | null {
  const settled = Number(row["sla_settled"]);
  return settled === 0 ? null : Number(row["sla_met"]) / settled;
}

/** Requests made in [from, to), per group, with the minutes to each stage and the SLA figures. */
export async function turnaroundReport(
  db: ReportsDb,
  query: ReportQuery<TurnaroundGroup>,
  wardScope: string | null,
): Promise<TurnaroundRow[]> {
  const conditions = periodAndWard(sql`f.created_at`, query, wardScope);
  const figures = sql.join([sql`count(*)::int AS requests`, ...stages.map(stageFigures), slaFigures], sql`, `);
  const rows = await groupedRows(
    db,
    query.groupBy.map(column),
    figures,
    sql`FROM reports.request_facts f WHERE ${allOf(conditions)}`,
  );
  return rows.map(({ group, row }) => {
    const stage = (name: Stage) => ({
      count: Number(row[`${name}_count`]),
      p50Minutes: numberOrNull(row[`${name}_p50`]),
      p90Minutes: numberOrNull(row[`${name}_p90`]),
      p95Minutes: numberOrNull(row[`${name}_p95`]),
    });
    return {
      group,
      requests: Number(row["requests"]),
      accepted: stage("accepted"),
      dispatched: stage("dispatched"),
      delivered: stage("delivered"),
      withinSla: withinSla(row),
      breached: Number(row["sla_breached"]),
    };
  });
}
