import { BadParameter, dateTimeParam, type CsvExport } from "./csv-route.js";
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

/**
 * The stock reports as CSV. Stockouts take `from`, `to` and optional `dispenserId` and `ward`
 * (one row per cabinet and item, no grouping); expiry loss takes the parameters of the other
 * grouped reports. The subgraph checks the range, the ids and who may see which ward.
 */
type StockoutVariables = { from: string; to: string; dispenserId: string | null; ward: string | null };

interface StockoutsData {
  stockouts: {
    dispenserId: string;
    dispenser: { code: string } | null;
    ward: string;
    itemId: string;
    item: { name: string } | null;
    secondsAtZero: number;
    stockouts: number;
    atZeroAtEnd: boolean;
    atZeroNow: boolean;
  }[];
}

const yesNo = (value: boolean) => (value ? "yes" : "no");

export const stockoutsExport: CsvExport<StockoutVariables, StockoutsData> = {
  name: "stockouts",
  params: new Set(["from", "to", "dispenserId", "ward"]),
  variables: (search) => {
    const dispenserId = search.get("dispenserId");
    // The ID scalar takes any text; the subgraph refuses a malformed id, but a blank one is no filter.
    if (dispenserId !== null && dispenserId.trim() === "") {
      throw new BadParameter("dispenserId", "dispenserId, when given, is a cabinet's id");
    }
    return {
      from: dateTimeParam(search, "from"),
      to: dateTimeParam(search, "to"),
      dispenserId,
      ward: search.get("ward") || null,
    };
  },
  query: `query StockoutsCsv($from: DateTime!, $to: DateTime!, $dispenserId: ID, $ward: String) {
  stockouts(from: $from, to: $to, dispenserId: $dispenserId, ward: $ward) {
    dispenserId dispenser { code } ward itemId item { name } secondsAtZero stockouts atZeroAtEnd atZeroNow
  }
}`,
  header: () => [
    "ward",
    "dispenser_id",
    "dispenser_code",
    "item_id",
    "item_name",
    "seconds_at_zero",
    "stockouts",
    "at_zero_at_end",
    "at_zero_now",
  ],
  rows: (data) =>
    data.stockouts.map((row) => [
      row.ward,
      row.dispenserId,
      row.dispenser?.code ?? null,
      row.itemId,
      row.item?.name ?? null,
      row.secondsAtZero,
      row.stockouts,
      yesNo(row.atZeroAtEnd),
      yesNo(row.atZeroNow),
    ]),
  fileName: ({ from, to }) => `stockouts-${from.slice(0, 10)}-${to.slice(0, 10)}.csv`,
  logged: ({ from, to, dispenserId, ward }) => ({ from, to, dispenserId, ward }),
};

interface ExpiryLossData {
  expiryLoss: { group: Group; units: number; cost: string; movements: number }[];
}

export const expiryLossExport: CsvExport<ReportVariables, ExpiryLossData> = {
  name: "expiry loss",
  params,
  variables: reportVariables(["WARD", "DISPENSER", "ITEM", "DAY", "MONTH"]),
  query: `query ExpiryLossCsv($from: DateTime!, $to: DateTime!, $groupBy: [ExpiryLossGroup!]!, $ward: String) {
  expiryLoss(from: $from, to: $to, groupBy: $groupBy, ward: $ward) { ${GROUP_SELECTION} units cost movements }
}`,
  header: (variables) => [...groupHeader(variables), "units", "cost", "movements"],
  // The cost is a decimal string: written as a number so a spreadsheet sums it.
  rows: (data, variables) =>
    data.expiryLoss.map((row) => [...groupCells(row.group, variables), row.units, Number(row.cost), row.movements]),
  fileName: fileName("expiry-loss"),
  logged,
};
