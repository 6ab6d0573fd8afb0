import { BadParameter, dateTimeParam } from "./csv-route.js";
import type { CsvCell } from "./csv.js";

/**
 * What the reports' CSV exports share: the period and grouping parameters as the queries take
 * them, one column per group asked for (in the order of `groupBy`), the file name and log line.
 */
export type Group = Record<string, string | number | null>;
export type ReportVariables = { from: string; to: string; groupBy: string[]; ward: string | null };

/** GraphQL enum value of a group → its field in ReportGroup. */
export const groupFields: Record<string, string> = {
  PRIORITY: "priority",
  KIND: "kind",
  WARD: "ward",
  HOUR: "hour",
  DISPENSER: "dispenserId",
  ITEM: "itemId",
  DAY: "day",
  MONTH: "month",
};
export const GROUP_SELECTION = `group { ${Object.values(groupFields).join(" ")} }`;

export function reportVariables(allowed: readonly string[]) {
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

export const groupHeader = ({ groupBy }: ReportVariables): string[] =>
  [...new Set(groupBy)].map((value) => groupFields[value]!);
export const groupCells = (group: Group, { groupBy }: ReportVariables): CsvCell[] =>
  [...new Set(groupBy)].map((value) => group[groupFields[value]!] ?? null);
export const fileName =
  (report: string) =>
  ({ from, to }: ReportVariables) =>
    `${report}-${from.slice(0, 10)}-${to.slice(0, 10)}.csv`;
export const params = new Set(["from", "to", "groupBy", "ward"]);
export const logged = ({ from, to, groupBy, ward }: ReportVariables) => ({ from, to, groupBy, ward });
