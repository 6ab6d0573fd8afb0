/** The in-process cache on its own. */
import { describe, expect, it } from "vitest";
import { TtlLru } from "@asky/common";
import { unitCostValue } from "../../src/validation/money.js";
import { calendarDateOf } from "../../src/validation/dates.js";

describe("TtlLru", () => {
  it("expires entries after the TTL and evicts the least recently used", () => {
    let now = 0;
    const cache = new TtlLru<string, number>(2, 1_000, () => now);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the most recent
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    now = 1_000;
    expect(cache.get("a")).toBeUndefined();
  });
});

describe("input values", () => {
  it("keeps unit costs exact to the cent and refuses a third decimal", () => {
    expect(unitCostValue(0.1 + 0.2)).toBe("0.30");
    expect(unitCostValue(12)).toBe("12.00");
    expect(() => unitCostValue(1.005)).toThrow(/two decimals/);
    expect(() => unitCostValue(Number.NaN)).toThrow();
  });

  it("reads calendar dates strictly", () => {
    expect(calendarDateOf("2028-02-29")).toBe("2028-02-29");
    expect(calendarDateOf("2027-02-29")).toBeNull();
    expect(calendarDateOf("2027-03-01T02:00:00-03:00")).toBe("2027-03-01");
    expect(calendarDateOf("01/03/2027")).toBeNull();
  });
});
