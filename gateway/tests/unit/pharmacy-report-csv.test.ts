import { describe, expect, it } from "vitest";
import { BadParameter } from "../../src/reports/csv-route.js";
import { consumptionExport, fillRateExport, turnaroundExport } from "../../src/reports/pharmacy-reports.js";

const params = (entries: Record<string, string>) => new URLSearchParams(entries);
const range = { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00-03:00" };

describe("the pharmacy reports' CSV parameters", () => {
  it("read groupBy as a comma-separated list of the report's groups, in any case", () => {
    expect(turnaroundExport.variables(params({ ...range, groupBy: "ward, priority" }))).toEqual({
      ...range,
      groupBy: ["WARD", "PRIORITY"],
      ward: null,
    });
    expect(consumptionExport.variables(params({ ...range, groupBy: "", ward: "UTI-ADULTO" }))).toMatchObject({
      groupBy: [],
      ward: "UTI-ADULTO",
    });
  });

  it.each([
    [turnaroundExport, { ...range, groupBy: "DISPENSER" }, "groupBy"],
    [fillRateExport, { ...range, groupBy: "DAY" }, "groupBy"],
    [consumptionExport, { ...range, groupBy: "WARD,,ITEM" }, "groupBy"],
    [consumptionExport, { ...range, groupBy: Array(11).fill("WARD").join(",") }, "groupBy"],
    [fillRateExport, { from: "2026-11-01", to: range.to, groupBy: "WARD" }, "from"],
    [fillRateExport, { from: range.from, groupBy: "WARD" }, "to"],
  ])("refuse %#, naming the parameter", (report, entries, field) => {
    const refuse = () => report.variables(params(entries));
    expect(refuse).toThrow(BadParameter);
    try {
      refuse();
    } catch (error) {
      expect((error as BadParameter).field).toBe(field);
    }
  });
});

describe("the pharmacy reports' CSV rows", () => {
  const variables = { ...range, groupBy: ["ITEM", "WARD", "ITEM"], ward: null };
  const group = { ward: "UTI-ADULTO", itemId: "item-1", priority: null };

  it("put one column per distinct group, in the order asked, before the figures", () => {
    expect(fillRateExport.header(variables)).toEqual([
      "itemId",
      "ward",
      "lines_requested",
      "lines_filled",
      "fill_rate",
    ]);
    const rows = [
      ...fillRateExport.rows({ fillRate: [{ group, linesRequested: 4, linesFilled: 3, fillRate: 0.75 }] }, variables),
    ];
    expect(rows).toEqual([["item-1", "UTI-ADULTO", 4, 3, 0.75]]);
  });

  it("write each turnaround stage's count and percentiles, empty where none reached it", () => {
    const stage = (count: number, minutes: number | null) => ({
      count,
      p50Minutes: minutes,
      p90Minutes: minutes,
      p95Minutes: minutes,
    });
    const only = { ...variables, groupBy: ["WARD"] };
    expect(turnaroundExport.header(only)).toHaveLength(1 + 1 + 3 * 4 + 2);
    const [row] = [
      ...turnaroundExport.rows(
        {
          turnaround: [
            {
              group,
              requests: 2,
              accepted: stage(2, 3.5),
              dispatched: stage(1, 10),
              delivered: stage(0, null),
              withinSla: null,
              breached: 0,
            },
          ],
        },
        only,
      ),
    ];
    expect(row).toEqual(["UTI-ADULTO", 2, 2, 3.5, 3.5, 3.5, 1, 10, 10, 10, 0, null, null, null, null, 0]);
  });

  it("write the cost as a number a spreadsheet sums", () => {
    const only = { ...variables, groupBy: ["WARD"] };
    expect([
      ...consumptionExport.rows({ consumption: [{ group, quantity: 5, cost: "12.50", requests: 2 }] }, only),
    ]).toEqual([["UTI-ADULTO", 5, 12.5, 2]]);
  });
});
