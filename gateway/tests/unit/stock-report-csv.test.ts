import { describe, expect, it } from "vitest";
import { BadParameter } from "../../src/reports/csv-route.js";
import { csvRow } from "../../src/reports/csv.js";
import { expiryLossExport, stockoutsExport } from "../../src/reports/stock-reports.js";

const params = (entries: Record<string, string>) => new URLSearchParams(entries);
const range = { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00-03:00" };

describe("the stock reports' CSV", () => {
  it("read the stockouts parameters, a cabinet optional", () => {
    expect(stockoutsExport.variables(params(range))).toEqual({ ...range, dispenserId: null, ward: null });
    expect(stockoutsExport.variables(params({ ...range, dispenserId: "d-1", ward: "UTI-ADULTO" }))).toEqual({
      ...range,
      dispenserId: "d-1",
      ward: "UTI-ADULTO",
    });
    expect(() => stockoutsExport.variables(params({ ...range, dispenserId: " " }))).toThrow(BadParameter);
    expect(() => stockoutsExport.variables(params({ from: range.from }))).toThrow(BadParameter);
    expect(stockoutsExport.params.has("groupBy")).toBe(false);
  });

  it("write one stockout row per level, an item name that looks like a formula as text", () => {
    const [row] = [
      ...stockoutsExport.rows(
        {
          stockouts: [
            {
              dispenserId: "d-1",
              dispenser: { code: "PYX-UTI-01" },
              ward: "UTI-ADULTO",
              itemId: "i-1",
              item: { name: '=HYPERLINK("x")' },
              secondsAtZero: 90.5,
              stockouts: 2,
              atZeroAtEnd: true,
              atZeroNow: false,
            },
          ],
        },
        stockoutsExport.variables(params(range)),
      ),
    ];
    expect(csvRow(row!)).toBe(`UTI-ADULTO,d-1,PYX-UTI-01,i-1,"'=HYPERLINK(""x"")",90.5,2,yes,no\r\n`);
    expect(stockoutsExport.header(stockoutsExport.variables(params(range)))).toHaveLength(row!.length);
  });

  it("group expiry loss by the groups asked, in order, the cost as a number", () => {
    const variables = expiryLossExport.variables(params({ ...range, groupBy: "month,ward" }));
    expect(expiryLossExport.header(variables)).toEqual(["month", "ward", "units", "cost", "movements"]);
    const rows = [
      ...expiryLossExport.rows(
        { expiryLoss: [{ group: { ward: "PEDIATRIA", month: "2026-11" }, units: 6, cost: "2.40", movements: 1 }] },
        variables,
      ),
    ];
    expect(rows).toEqual([["2026-11", "PEDIATRIA", 6, 2.4, 1]]);
    expect(() => expiryLossExport.variables(params({ ...range, groupBy: "PRIORITY" }))).toThrow(BadParameter);
  });
});
