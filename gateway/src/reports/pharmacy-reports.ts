import type { RouteHandler } from "@asky/runtime";
import { csvExportRoute, type CsvExport, type CsvRouteHost } from "./csv-route.js";
import {
  fileName,
  GROUP_SELECTION,
  groupCells,
  groupHeader,
  logged,
  params,
  reportVariables,
  type Group,
  type ReportVariables,
} from "./report-params.js";
import { expiryLossExport, stockoutsExport } from "./stock-reports.js";
import type { CsvCell } from "./csv.js";

/**
 * The reports subgraph's reports as CSV: one column per group asked for (in the order of
 * `groupBy`), then the figures. The parameters are the query's: `from`, `to`, `groupBy` as a
 * comma-separated list (may be empty), and an optional `ward`; the subgraph checks the range,
 * the number of groups and who may see which ward, as on /graphql.
 */

interface Stage {
  count: number;
  p50Minutes: number | null;
  p90Minutes: number | null;
  p95Minutes: number | null;
}
interface TurnaroundData {
  turnaround: {
    group: Group;
    requests: number;
    accepted: Stage;
    dispatched: Stage;
    delivered: Stage;
    withinSla: number | null;
    breached: number;
  }[];
}
const STAGES = ["accepted", "dispatched", "delivered"] as const;
const STAGE_SELECTION = "{ count p50Minutes p90Minutes p95Minutes }";

export const turnaroundExport: CsvExport<ReportVariables, TurnaroundData> = {
  name: "turnaround",
  params,
  variables: reportVariables(["PRIORITY", "WARD", "KIND", "HOUR"]),
  query: `query TurnaroundCsv($from: DateTime!, $to: DateTime!, $groupBy: [TurnaroundGroup!]!, $ward: String) {
  turnaround(from: $from, to: $to, groupBy: $groupBy, ward: $ward) {
    ${GROUP_SELECTION} requests
    ${STAGES.map((stage) => `${stage} ${STAGE_SELECTION}`).join("\n    ")}
    withinSla breached
  }
}`,
  header: (variables) => [
    ...groupHeader(variables),
    "requests",
    ...STAGES.flatMap((stage) => [`${stage}`, `${stage}_p50_minutes`, `${stage}_p90_minutes`, `${stage}_p95_minutes`]),
    "within_sla",
    "breached",
  ],
  rows: (data, variables) =>
    data.turnaround.map((row) => [
      ...groupCells(row.group, variables),
      row.requests,
      ...STAGES.flatMap((stage) => {
        const { count, p50Minutes, p90Minutes, p95Minutes } = row[stage];
        return [count, p50Minutes, p90Minutes, p95Minutes];
      }),
      // Empty when none of the row's requests is settled (not 0: nothing to judge yet).
      row.withinSla,
      row.breached,
    ]),
  fileName: fileName("turnaround"),
  logged,
};

interface FillRateData {
  fillRate: { group: Group; linesRequested: number; linesFilled: number; fillRate: number | null }[];
}

export const fillRateExport: CsvExport<ReportVariables, FillRateData> = {
  name: "fill rate",
  params,
  variables: reportVariables(["PRIORITY", "WARD", "KIND", "DISPENSER", "ITEM"]),
  query: `query FillRateCsv($from: DateTime!, $to: DateTime!, $groupBy: [FillRateGroup!]!, $ward: String) {
  fillRate(from: $from, to: $to, groupBy: $groupBy, ward: $ward) { ${GROUP_SELECTION} linesRequested linesFilled fillRate }
}`,
  header: (variables) => [...groupHeader(variables), "lines_requested", "lines_filled", "fill_rate"],
  rows: (data, variables) =>
    data.fillRate.map((row) => [
      ...groupCells(row.group, variables),
      row.linesRequested,
      row.linesFilled,
      row.fillRate,
    ]),
  fileName: fileName("fill-rate"),
  logged,
};

interface ConsumptionData {
  consumption: { group: Group; quantity: number; cost: string; requests: number }[];
}

/**
 * Consumption also groups by the therapeutic class frozen on each line, a group no other report
 * has: its column is `therapeuticClass`, empty for lines of no known class.
 */
const THERAPEUTIC_CLASS = "THERAPEUTIC_CLASS";
const CONSUMPTION_GROUP_SELECTION = GROUP_SELECTION.replace(/ }$/, " therapeuticClass }");
const withoutClass = (variables: ReportVariables): ReportVariables => ({
  ...variables,
  groupBy: variables.groupBy.filter((value) => value !== THERAPEUTIC_CLASS),
});
/** The group columns in the order asked, the class's where it was asked. */
function consumptionGroupColumns<T>(
  variables: ReportVariables,
  others: (variables: ReportVariables) => T[],
  therapeuticClass: T,
): T[] {
  const rest = others(withoutClass(variables));
  return [...new Set(variables.groupBy)].map((value) =>
    value === THERAPEUTIC_CLASS ? therapeuticClass : rest.shift()!,
  );
}

export const consumptionExport: CsvExport<ReportVariables, ConsumptionData> = {
  name: "consumption",
  params,
  variables: reportVariables(["WARD", "DISPENSER", "ITEM", "DAY", "MONTH", THERAPEUTIC_CLASS]),
  query: `query ConsumptionCsv($from: DateTime!, $to: DateTime!, $groupBy: [ConsumptionGroup!]!, $ward: String) {
  consumption(from: $from, to: $to, groupBy: $groupBy, ward: $ward) { ${CONSUMPTION_GROUP_SELECTION} quantity cost requests }
}`,
  header: (variables) => [
    ...consumptionGroupColumns<string>(variables, groupHeader, "therapeuticClass"),
    "quantity",
    "cost",
    "requests",
  ],
  // The cost is a decimal string: written as a number so a spreadsheet sums it.
  rows: (data, variables) =>
    data.consumption.map((row) => [
      ...consumptionGroupColumns<CsvCell>(
        variables,
        (others) => groupCells(row.group, others),
        row.group.therapeuticClass ?? null,
      ),
      row.quantity,
      Number(row.cost),
      row.requests,
    ]),
  fileName: fileName("consumption"),
  logged,
};

/** The routes, at /reports/<name>.csv. */
export function pharmacyReportRoutes(host: CsvRouteHost): Record<string, RouteHandler> {
  return {
    "/reports/turnaround.csv": csvExportRoute(turnaroundExport, host),
    "/reports/fill-rate.csv": csvExportRoute(fillRateExport, host),
    "/reports/consumption.csv": csvExportRoute(consumptionExport, host),
    "/reports/stockouts.csv": csvExportRoute(stockoutsExport, host),
    "/reports/expiry-loss.csv": csvExportRoute(expiryLossExport, host),
  };
}
