import { describe, expect, it } from "vitest";
import { assertNever } from "../../src/assert-never.js";

type Shape = "line" | "multiline";

const describeShape = (shape: Shape): string => {
  switch (shape) {
    case "line":
      return "one line";
    case "multiline":
      return "several lines";
    default:
      return assertNever(shape, "text shape");
  }
};

describe("assertNever", () => {
  it("fails loudly on a value the types ruled out", () => {
    expect(describeShape("line")).toBe("one line");
    expect(() => describeShape("paragraph" as Shape)).toThrow("unknown text shape paragraph");
    expect(() => assertNever({ kind: "odd" } as never, "selection")).toThrow('unknown selection {"kind":"odd"}');
  });
});
