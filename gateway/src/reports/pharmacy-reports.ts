import type { RouteHandler } from "@asky/runtime";
import { BadParameter, csvExportRoute, dateTimeParam, type CsvExport, type CsvRouteHost } from "./csv-route.js";
import type { CsvCell } from "./csv.js";

/**
 * The reports subgraph's reports as CSV: one column per group asked for (in the order of
 * `groupBy`), then the figures. The parameters are the query's: `from`, `to`, `groupBy` as a
 * comma-separated list (may be empty), and an optional `ward`; the subgraph checks the range,
 * the number of groups and who may see which ward, as on /graphql.
 */
type Group = Record<string, string | number | null>;
type ReportVariables = { from: string; to: string; groupBy: string[]; ward: string | null };

/** GraphQL enum value of a group → its field in ReportGroup. */
const groupFields: Record<string, string> = {
  PRIORITY: "priority",
  KIND: "kind",
  WARD: "ward",
  HOUR: "hour",
  DISPENSER: "dispenserId",
  ITEM: "itemId",
  DAY: "day",
  MONTH: "month",
};
const GROUP_SELECTION = `group { ${Object.values(groupFields).join(" ")} }`;

function reportVariables(allowed: readonly string[]) {
  return (params: URLSearchParams): ReportVariables => {
    const raw = params.get("groupBy") ?? "";
    const groupBy = raw === "" ? [] : raw.split(",").map((value) => value.trim().toUpperCase());
    // Checked here too: an unknown value would otherwise be a GraphQL validation error naming the route's query.
    const unknown = groupBy.find((value) => !allowed.includes(value));
    if (unknown !== undefined || groupBy.length > 10) {
      throw new BadParameter("groupBy", `groupBy is a comma-separated list of ${allowed.join(", ")}`);
    }
    const ward = params.get("ward");
    return { from: dateTimeParam(params, "from"), to: dateTimeParam(params, "to"), groupBy, ward: ward || null };
  };
}

const groupHeader = ({ groupBy }: ReportVariables): string[] =>
  [...new Set(groupBy)].map((value) => groupFields[value]!);
const groupCells = (group: Group, { groupBy }: ReportVariables): CsvCell[] =>
  [...new Set(groupBy)].map((value) => group[groupFields[value]!] ?? null);
const fileName =
  (report: string) =>
  ({ from, to }: ReportVariables) =>
    `${report}-${from.slice(0, 10)}-${to.slice(0, 10)}.csv`;
const params = new Set(["from", "to", "groupBy", "ward"]);
const logged = ({ from, to, groupBy, ward }: ReportVariables) => ({ from, to, groupBy, ward });

interface Stage {
  count: number;
  p50Minutes: number | null;
  p90Minutes: number | null;
  p95Minutes: number | null;
}
interface TurnaroundData {
  turnaround: { group: Group; requests: number; accepted: Stage; dispatched: Stage; delivered: Stage }[];
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
  }
}`,
  header: (variables) => [
    ...groupHeader(variables),
    "requests",
    ...STAGES.flatMap((stage) => [`${stage}`, `${stage}_p50_minutes`, `${stage}_p90_minutes`, `${stage}_p95_minutes`]),
  ],
  rows: (data, variables) =>
    data.turnaround.map((row) => [
      ...groupCells(row.group, variables),
      row.requests,
      ...STAGES.flatMap((stage) => {
        const { count, p50Minutes, p90Minutes, p95Minutes } = row[stage];
        return [count, p50Minutes, p90Minutes, p95Minutes];
      }),
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

export const consumptionExport: CsvExport<ReportVariables, ConsumptionData> = {
  name: "consumption",
  params,
  variables: reportVariables(["WARD", "DISPENSER", "ITEM", "DAY", "MONTH"]),
  query: `query ConsumptionCsv($from: DateTime!, $to: DateTime!, $groupBy: [ConsumptionGroup!]!, $ward: String) {
  consumption(from: $from, to: $to, groupBy: $groupBy, ward: $ward) { ${GROUP_SELECTION} quantity cost requests }
}`,
  header: (variables) => [...groupHeader(variables), "quantity", "cost", "requests"],
  // The cost is a decimal string: written as a number so a spreadsheet sums it.
  rows: (data, variables) =>
    data.consumption.map((row) => [...groupCells(row.group, variables), row.quantity, Number(row.cost), row.requests]),
  fileName: fileName("consumption"),
  logged,
};

/** The three routes, at /reports/<name>.csv. */
export function pharmacyReportRoutes(host: CsvRouteHost): Record<string, RouteHandler> {
  return {
    "/reports/turnaround.csv": csvExportRoute(turnaroundExport, host),
    "/reports/fill-rate.csv": csvExportRoute(fillRateExport, host),
    "/reports/consumption.csv": csvExportRoute(consumptionExport, host),
  };
}
