/**
 * `npm start` and `npm test` run on the Node release pinned in package.json (the `node`
 * package), whatever Node the machine has: scripts/bootstrap.mjs re-runs itself on it, and
 * everything it starts inherits it (the services are spawned with process.execPath).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

const pinned = manifest.devDependencies.node ?? "";

describe("the pinned Node", () => {
  it("is the one running the suite", () => {
    expect(process.version).toBe(`v${pinned}`);
  });

  it("is exact, and what engines promises", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const major = Number(pinned.split(".")[0]);
    expect(manifest.engines.node).toBe(`>=${major}`);
  });
});
