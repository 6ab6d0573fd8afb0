import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { inputText, optionalInputText, textFault } from "../../src/validation/text.js";

const refusal = (fn: () => unknown): Record<string, unknown> | string => {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions : "not a GraphQLError";
  }
  return "no error";
};

describe("textFault", () => {
  it.each([
    ["plain text", "Dipirona Sódica 500 mg"],
    ["emoji (a surrogate pair)", "ok 👍"],
    ["Portuguese and CJK", "Ação 薬"],
    ["a no-break space", "Sala\u00a0B"],
  ])("accepts %s", (_what, text) => {
    expect(textFault(text)).toBeNull();
    expect(textFault(text, "multiline")).toBeNull();
  });

  it.each([
    ["U+0000", "a\u0000b"],
    ["BEL", "a\u0007"],
    ["ESC", "\u001b[2J"],
    ["DEL", "a\u007f"],
    ["C1 NEXT LINE", "a\u0085b"],
    ["C1 CSI", "\u009b31m"],
    ["U+009F", "a\u009f"],
    ["vertical tab", "a\u000bb"],
  ])("refuses %s in any text", (_what, text) => {
    expect(textFault(text)).toMatch(/control characters/);
    expect(textFault(text, "multiline")).toMatch(/control characters/);
  });

  it("refuses line breaks and tabs in a single line only", () => {
    for (const text of ["a\nb", "a\tb", "a\rb"]) {
      expect(textFault(text)).toBe("must not contain control characters");
      expect(textFault(text, "multiline")).toBeNull();
    }
  });

  it.each([
    ["a lone high surrogate", "a\ud800b"],
    ["a lone low surrogate", "a\udc00b"],
    ["a high surrogate at the end", "abc\udbff"],
    ["a reversed pair", "\udc00\ud800"],
  ])("refuses %s", (_what, text) => {
    expect(textFault(text)).toBe("is not valid Unicode text");
  });
});

describe("inputText", () => {
  it("trims and keeps the text otherwise as given", () => {
    expect(inputText("  Sala 3  ", { field: "location" }, { max: 10 })).toBe("Sala 3");
    expect(inputText("   ", { field: "location" }, { max: 10 })).toBe("");
  });

  it("stores every line break of a multi-line text as LF", () => {
    expect(inputText("a\r\nb\rc\n\td", { field: "note" }, { max: 20, shape: "multiline" })).toBe("a\nb\nc\n\td");
  });

  it("names the argument or the input field it refuses", () => {
    expect(refusal(() => inputText("a\u0000", { argument: "search" }, { max: 10 }))).toEqual({
      code: "BAD_USER_INPUT",
      argument: "search",
    });
    expect(refusal(() => inputText("x".repeat(11), { field: "name" }, { max: 10 }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "name",
    });
  });

  it("bounds the length after trimming, before looking at the characters", () => {
    expect(inputText(` ${"x".repeat(10)} `, { field: "name" }, { max: 10 })).toHaveLength(10);
    expect(() => inputText(`${"x".repeat(11)}\u0000`, { field: "name" }, { max: 10 })).toThrow(
      /limited to 10 characters/,
    );
  });

  it("reads null, absent and blank optional text as none", () => {
    for (const value of [null, undefined, "", " \n "]) {
      expect(optionalInputText(value, { field: "note" }, { max: 10, shape: "multiline" })).toBeNull();
    }
    expect(refusal(() => optionalInputText("\u0085", { field: "note" }, { max: 10 }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "note",
    });
  });
});
