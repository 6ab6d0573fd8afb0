/**
 * The reports' CSV columns of this release: turnaround's within_sla and breached after the
 * stages, and consumption grouped by THERAPEUTIC_CLASS (its own column, in the order asked,
 * empty for lines of no known class), asked of the subgraph in the route's query.
 */
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { BadParameter } from "../../src/reports/csv-route.js";
import { consumptionExport, turnaroundExport } from "../../src/reports/pharmacy-reports.js";

const range = { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00-03:00" };
const stage = (count: number, minutes: number | null) => ({
  count,
  p50Minutes: minutes,
  p90Minutes: minutes,
  p95Minutes: minutes,
});

describe("turnaround CSV", () => {
  const variables = { ...range, groupBy: ["PRIORITY"], ward: null };

  it("asks for withinSla and breached and ends each row with them", () => {
    const selection = parse(turnaroundExport.query);
    expect(turnaroundExport.query).toMatch(/\bwithinSla\b[\s\S]*\bbreached\b/);
    expect(selection.definitions).toHaveLength(1);
    expect(turnaroundExport.header(variables).slice(-2)).toEqual(["within_sla", "breached"]);
    const rows = [
      ...turnaroundExport.rows(
        {
          turnaround: [
            {
              group: { priority: "STAT" },
              requests: 4,
              accepted: stage(4, 2),
              dispatched: stage(3, 9),
              delivered: stage(2, 20),
              withinSla: 0.5,
              breached: 1,
            },
            {
              group: { priority: "ROUTINE" },
              requests: 1,
              accepted: stage(0, null),
              dispatched: stage(0, null),
              delivered: stage(0, null),
              withinSla: null,
              breached: 0,
            },
          ],
        },
        variables,
      ),
    ];
    expect(rows.map((row) => row.slice(-2))).toEqual([
      [0.5, 1],
      // None settled: empty, not 0 (nothing to judge yet).
      [null, 0],
    ]);
    expect(rows[0]).toHaveLength(turnaroundExport.header(variables).length);
  });
});

describe("consumption CSV by therapeutic class", () => {
  const params = (groupBy: string) => new URLSearchParams({ ...range, groupBy });

  it("accepts THERAPEUTIC_CLASS in groupBy, in any case, and still refuses other groups", () => {
    expect(consumptionExport.variables(params("therapeutic_class, ward")).groupBy).toEqual([
      "THERAPEUTIC_CLASS",
      "WARD",
    ]);
    expect(() => consumptionExport.variables(params("PRIORITY"))).toThrow(BadParameter);
    expect(() => consumptionExport.variables(params("THERAPEUTIC"))).toThrow(BadParameter);
  });

  it("asks for the group's therapeuticClass", () => {
    expect(() => parse(consumptionExport.query)).not.toThrow();
    expect(consumptionExport.query).toMatch(/group \{[^}]*\btherapeuticClass\b[^}]*\}/);
  });

  it("puts the class's column where it was asked, once, empty for no known class", () => {
    const variables = consumptionExport.variables(params("WARD,THERAPEUTIC_CLASS,ITEM,THERAPEUTIC_CLASS"));
    expect(consumptionExport.header(variables)).toEqual([
      "ward",
      "therapeuticClass",
      "itemId",
      "quantity",
      "cost",
      "requests",
    ]);
    const rows = [
      ...consumptionExport.rows(
        {
          consumption: [
            {
              group: { ward: "UTI-ADULTO", therapeuticClass: "ANALGESICO", itemId: "item-1" },
              quantity: 6,
              cost: "3.30",
              requests: 2,
            },
            {
              group: { ward: "UTI-ADULTO", therapeuticClass: null, itemId: "item-2" },
              quantity: 1,
              cost: "9",
              requests: 1,
            },
          ],
        },
        variables,
      ),
    ];
    expect(rows).toEqual([
      ["UTI-ADULTO", "ANALGESICO", "item-1", 6, 3.3, 2],
      ["UTI-ADULTO", null, "item-2", 1, 9, 1],
    ]);
  });

  it("by class alone: one group column", () => {
    const variables = consumptionExport.variables(params("THERAPEUTIC_CLASS"));
    expect(consumptionExport.header(variables)).toEqual(["therapeuticClass", "quantity", "cost", "requests"]);
    const rows = [
      ...consumptionExport.rows(
        { consumption: [{ group: { therapeuticClass: "ANTIBIOTICO" }, quantity: 2, cost: "10.00", requests: 2 }] },
        variables,
      ),
    ];
    expect(rows).toEqual([["ANTIBIOTICO", 2, 10, 2]]);
  });
});
