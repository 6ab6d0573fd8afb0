import { describe, expect, it } from "vitest";
import { centsOf, centsToDecimal, decimalToCents, MAX_MONEY_CENTS, moneyInput } from "../../../src/validation/money.js";
import { refusal } from "./refusal.js";

describe("moneyInput", () => {
  it("keeps amounts exact to the cent and refuses a third decimal", () => {
    expect(moneyInput(0.1 + 0.2, "unitCost")).toBe("0.30");
    expect(moneyInput(12, "unitCost")).toBe("12.00");
    expect(moneyInput(9_999_999_999.99, "unitCost")).toBe("9999999999.99");
    expect(() => moneyInput(1.005, "unitCost")).toThrow(/two decimals/);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -0.01, 1e300, 10_000_000_000])("refuses %d on the field", (value) => {
    expect(refusal(() => moneyInput(value, "unitCost"))).toEqual({ code: "BAD_USER_INPUT", field: "unitCost" });
  });
});

describe("cents", () => {
  it("round-trip through the numeric(12, 2) text", () => {
    for (const [cents, text] of [
      [0, "0.00"],
      [5, "0.05"],
      [1250, "12.50"],
      [MAX_MONEY_CENTS, "9999999999.99"],
    ] as const) {
      expect(centsToDecimal(cents, "items")).toBe(text);
      expect(decimalToCents(text)).toBe(cents);
    }
    expect(decimalToCents("12.5")).toBe(1250);
    expect(decimalToCents("12")).toBe(1200);
  });

  it("refuses a total the column cannot hold as the client's input", () => {
    for (const cents of [MAX_MONEY_CENTS + 1, -1, 1.5]) {
      expect(refusal(() => centsToDecimal(cents, "items"))).toEqual({ code: "BAD_USER_INPUT", field: "items" });
    }
  });

  it("reads stored prices without floating-point dust", () => {
    expect(centsOf(0.1 + 0.2)).toBe(30);
    expect(centsOf(19.99) * 3).toBe(5997);
    expect(() => decimalToCents("1.234")).toThrow(/invalid amount/);
    expect(() => decimalToCents("-1")).toThrow(/invalid amount/);
  });
});
