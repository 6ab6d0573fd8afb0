import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { composeSupergraph, supergraphPath } from "../../src/compose.js";

describe("committed supergraph", () => {
  it("matches a fresh composition of the subgraph schemas (run `npm run compose` when this fails)", async () => {
    const committed = await readFile(supergraphPath, "utf8");
    expect(committed).toBe(await composeSupergraph());
  });
});
