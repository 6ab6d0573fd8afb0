import { describe, expect, it } from "vitest";
import { MAX_TEXT_SORT_KEY, textSortKey, timestampSortKey } from "../../src/cursor-sort-keys.js";

describe("timestampSortKey", () => {
  it.each([
    ["Date#toISOString", "2026-11-21T10:00:00.123Z"],
    ["Postgres to_char with microseconds", "2026-11-21T10:00:00.123456Z"],
    ["whole seconds", "2026-11-21T10:00:00Z"],
    ["a leap day", "2028-02-29T23:59:59.999Z"],
    ["the first year Postgres and the decoder share", "0001-01-01T00:00:00.000Z"],
    ["the last", "9999-12-31T23:59:59.999999Z"],
  ])("takes %s", (_what, value) => {
    expect(timestampSortKey(value)).toBe(value);
  });

  it.each([
    ["year 275000 (JavaScript reads it, Postgres does not)", "+275000-01-01T00:00:00.000Z"],
    ["year 300000", "300000-01-01T00:00:00.000Z"],
    ["year -5000", "-005000-01-01T00:00:00.000Z"],
    ["year 0", "0000-01-01T00:00:00.000Z"],
    ["February 30", "2026-02-30T00:00:00.000Z"],
    ["February 29 of a common year", "2027-02-29T00:00:00.000Z"],
    ["hour 24", "2026-01-01T24:00:00.000Z"],
    ["a bare year", "2020"],
    ["a date without time", "2026-01-01"],
    ["a local time", "2026-01-01T10:00:00"],
    ["an offset", "2026-01-01T10:00:00+03:00"],
    ["nanoseconds", "2026-01-01T10:00:00.123456789Z"],
    ["words", "March 7"],
    ["a number", 1_700_000_000_000],
    ["null", null],
    ["a NUL", "2026-01-01T10:00:00Z\u0000"],
  ])("refuses %s", (_what, value) => {
    expect(timestampSortKey(value)).toBeNull();
  });
});

describe("textSortKey", () => {
  it("takes names and codes as they are stored", () => {
    expect(textSortKey("Dipirona Sódica 500 mg")).toBe("Dipirona Sódica 500 mg");
    expect(textSortKey("PYX-UTI-01")).toBe("PYX-UTI-01");
    expect(textSortKey("")).toBe("");
    expect(textSortKey("x".repeat(MAX_TEXT_SORT_KEY))).toHaveLength(MAX_TEXT_SORT_KEY);
  });

  it.each([
    ["a NUL", "Ana\u0000"],
    ["a C1 control", "Ana\u0085"],
    ["a line break", "Ana\nMaria"],
    ["a lone surrogate", "Ana\ud800"],
    ["a key too long", "x".repeat(MAX_TEXT_SORT_KEY + 1)],
    ["a number", 42],
    ["an array", ["Ana"]],
    ["null", null],
  ])("refuses %s", (_what, value) => {
    expect(textSortKey(value)).toBeNull();
  });
});
