import { describe, expect, it } from "vitest";
import { BoundedLabel } from "../../src/bounded-label.js";

describe("BoundedLabel", () => {
  it("keeps the first well-formed values and counts the rest as other, so a client cannot grow the series", () => {
    const label = new BoundedLabel(2);
    expect(label.of("CreateRequest")).toBe("CreateRequest");
    expect(label.of("WardBoard")).toBe("WardBoard");
    expect(label.of("CreateRequest")).toBe("CreateRequest");
    expect(label.of("Another")).toBe("other");
    for (let i = 0; i < 10_000; i++) expect(label.of(`Op${i}`)).toBe("other");
  });

  it("refuses malformed values and leaves absent ones empty", () => {
    const label = new BoundedLabel(10);
    expect(label.of('x"} 1\nfake_metric{a="')).toBe("other");
    expect(label.of("a".repeat(101))).toBe("other");
    expect(label.of(undefined)).toBe("");
    expect(label.of("")).toBe("");
  });
});
