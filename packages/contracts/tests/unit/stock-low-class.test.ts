import { describe, expect, it } from "vitest";
import { InvalidEventError, stockLow, type StockLowData } from "../../src/index.js";
import { overTheWire, stockLowData } from "./fixtures.js";

/** A medication low in its cabinet, of a class the catalog gives it. */
const medication: StockLowData = {
  ...stockLowData,
  itemKind: "MEDICATION",
  unitCost: 1.25,
  therapeuticClass: "Analgésico e antipirético",
};

const wire = (data: StockLowData) => overTheWire(stockLow.build(data)) as { data: Record<string, unknown> };

describe("asky.dispensers.stock_low therapeutic class", () => {
  it("carries a medication's class through build and parse, and a material's null as null", () => {
    expect(stockLow.parse(wire(medication)).data.therapeuticClass).toBe("Analgésico e antipirético");
    expect(wire(medication).data.therapeuticClass).toBe("Analgésico e antipirético");
    expect(stockLow.parse(wire(stockLowData)).data.therapeuticClass).toBeNull();
  });

  it("reads an event written before the class was carried as of unknown class, not as a refusal", () => {
    const stored = wire(medication);
    const { therapeuticClass: _dropped, ...older } = stored.data;
    const parsed = stockLow.parse({ ...stored, data: older }).data;
    expect(parsed.therapeuticClass).toBeNull();
    expect(parsed).toMatchObject({ itemKind: "MEDICATION", unitCost: 1.25, itemId: medication.itemId });
  });

  it("builds without the field (a producer that does not know it) and writes no key then", () => {
    const { therapeuticClass: _dropped, ...withoutClass } = medication;
    const stored = wire(withoutClass);
    expect("therapeuticClass" in stored.data).toBe(false);
    expect(stockLow.parse(stored).data.therapeuticClass).toBeNull();
  });

  it.each([[""], [7], [true], [["Analgésico"]], [{ name: "Analgésico" }]])(
    "refuses a malformed class %j naming the field",
    (value) => {
      const stored = wire(medication);
      const hostile = { ...stored, data: { ...stored.data, therapeuticClass: value } };
      expect(() => stockLow.parse(hostile)).toThrow(InvalidEventError);
      expect(() => stockLow.parse(hostile)).toThrow("stock_low.therapeuticClass is missing or not a non-empty string");
    },
  );
});
