/** The in-process cache on its own. */
import { describe, expect, it } from "vitest";
import { TtlLru } from "@asky/runtime";

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
