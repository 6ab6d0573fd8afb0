import { describe, expect, it } from "vitest";
import { changed, changedOptional } from "../../../src/validation/changes.js";
import { codeText, wardCode } from "../../../src/validation/codes.js";
import { calendarDateOf } from "../../../src/validation/dates.js";
import { invalidField, invalidInput } from "../../../src/validation/invalid-field.js";
import { intInRange } from "../../../src/validation/numbers.js";
import { keyText, optionalText, requiredText } from "../../../src/validation/text.js";
import { uuidField } from "../../../src/validation/uuid.js";
import { refusal } from "./refusal.js";

const id = "0F1E2D3C-0000-4000-8000-000000000001";

describe("invalidField", () => {
  it("is BAD_USER_INPUT naming the field, or the argument", () => {
    const error = invalidField("ward", "Unknown ward X");
    expect(error.message).toBe("Unknown ward X");
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", field: "ward" });
    expect(invalidInput({ argument: "after" }, "Malformed cursor").extensions).toEqual({
      code: "BAD_USER_INPUT",
      argument: "after",
    });
  });
});

describe("text fields", () => {
  it("trims required text and refuses it blank", () => {
    expect(requiredText("  Sala 3 ", "location", 10)).toBe("Sala 3");
    expect(refusal(() => requiredText(" \t ", "location", 10))).toEqual({ code: "BAD_USER_INPUT", field: "location" });
  });

  it("reads blank optional text as none and refuses what a single line may not hold", () => {
    expect(optionalText("  ", "floor", 10)).toBeNull();
    expect(optionalText(undefined, "floor", 10)).toBeNull();
    expect(refusal(() => optionalText("Sala\tB", "floor", 10))).toEqual({ code: "BAD_USER_INPUT", field: "floor" });
    expect(optionalText("linha 1\r\n\tlinha 2", "note", 30, "multiline")).toBe("linha 1\n\tlinha 2");
  });

  it("takes keys as given: untrimmed, one line, bounded", () => {
    expect(keyText(" a ", "idempotencyKey", 5)).toBe(" a ");
    for (const key of ["", "x".repeat(6), "a\n", "a\u0000"]) {
      expect(refusal(() => keyText(key, "idempotencyKey", 5))).toEqual({
        code: "BAD_USER_INPUT",
        field: "idempotencyKey",
      });
    }
  });
});

describe("codes", () => {
  it("uppercases codes and refuses anything but letters, digits, - and _", () => {
    expect(codeText(" pyx-uti_01 ", "code", 40)).toBe("PYX-UTI_01");
    for (const code of ["bad code!", "-PYX", "", "PYX\u0085", "X".repeat(41)]) {
      expect(refusal(() => codeText(code, "code", 40))).toEqual({ code: "BAD_USER_INPUT", field: "code" });
    }
  });

  it("holds every ward to one rule, 40 characters at most", () => {
    expect(wardCode(" uti-adulto ")).toBe("UTI-ADULTO");
    expect(wardCode("W".repeat(40))).toHaveLength(40);
    expect(refusal(() => wardCode("W".repeat(41)))).toEqual({ code: "BAD_USER_INPUT", field: "ward" });
    expect(refusal(() => wardCode("UTI adulto", "input.ward"))).toEqual({
      code: "BAD_USER_INPUT",
      field: "input.ward",
    });
  });
});

describe("ids and integers", () => {
  it("lowercases UUIDs and refuses anything else", () => {
    expect(uuidField(id, "dispenserId")).toBe(id.toLowerCase());
    expect(refusal(() => uuidField("PYX-UTI-01", "dispenserId"))).toEqual({
      code: "BAD_USER_INPUT",
      field: "dispenserId",
    });
  });

  it("bounds integers, ends included", () => {
    expect(intInRange(1, "quantity", 1, 10)).toBe(1);
    expect(intInRange(10, "quantity", 1, 10)).toBe(10);
    for (const value of [0, 11, 1.5, Number.NaN]) {
      expect(refusal(() => intInRange(value, "quantity", 1, 10))).toEqual({
        code: "BAD_USER_INPUT",
        field: "quantity",
      });
    }
  });
});

describe("calendarDateOf", () => {
  it("reads real days and the UTC date of a zoned date-time", () => {
    expect(calendarDateOf("2028-02-29")).toBe("2028-02-29");
    expect(calendarDateOf("2027-03-01T02:00:00-03:00")).toBe("2027-03-01");
    expect(calendarDateOf("2027-03-01T23:30:00-03:00")).toBe("2027-03-02");
  });

  it.each([
    "2027-02-29",
    "2026-02-30",
    "01/03/2027",
    "300000-01-01",
    "-5000-01-01",
    "+275000-01-01T00:00:00Z",
    "2027-03-01T02:00:00",
  ])("refuses %j", (value) => {
    expect(calendarDateOf(value)).toBeNull();
  });
});

describe("update inputs", () => {
  it("leaves absent fields alone and refuses null where a value is required", () => {
    expect(changed(undefined, "name", (value: string) => value.trim())).toBeUndefined();
    expect(changed(" a ", "name", (value: string) => value.trim())).toBe("a");
    expect(refusal(() => changed(null, "name", (value: string) => value))).toEqual({
      code: "BAD_USER_INPUT",
      field: "name",
    });
  });

  it("clears nullable text on null or blank", () => {
    expect(changedOptional(undefined, "area", 10)).toBeUndefined();
    expect(changedOptional(null, "area", 10)).toBeNull();
    expect(changedOptional("  ", "area", 10)).toBeNull();
    expect(changedOptional(" UTI ", "area", 10)).toBe("UTI");
  });
});
