import { describe, expect, it } from "vitest";
import { coveringSubject } from "../../src/subscriptions/covering-subject.js";

describe("coveringSubject", () => {
  it("is the subject itself for one subject, however often given", () => {
    expect(coveringSubject(["asky.dispensers.stock_low"])).toBe("asky.dispensers.stock_low");
    const twice = ["asky.dispensers.stock_low", "asky.dispensers.stock_low"];
    expect(coveringSubject(twice)).toBe("asky.dispensers.stock_low");
  });

  it("is the narrowest wildcard over several", () => {
    expect(coveringSubject(["asky.requests.created", "asky.requests.status_changed"])).toBe("asky.requests.>");
    expect(
      coveringSubject(["asky.requests.created", "asky.requests.status_changed", "asky.dispensers.stock_low"]),
    ).toBe("asky.>");
    expect(coveringSubject(["asky.a.b", "other.a.b"])).toBe(">");
  });

  it("leaves every subject at least one token under the wildcard", () => {
    expect(coveringSubject(["asky.requests", "asky.requests.created"])).toBe("asky.>");
  });

  it("refuses an empty list", () => {
    expect(() => coveringSubject([])).toThrow();
  });
});
