/**
 * Which dependencies may run install scripts is decided here, not by npm's default: npm 11
 * warns about every package whose scripts no `allowScripts` entry covers, and npm 12 skips
 * them. The pinned Node arrives through one (the `node` package's preinstall fetches its
 * binary), so an unreviewed default would install a project that cannot start.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Manifest {
  allowScripts?: Record<string, boolean>;
}
interface Lockfile {
  packages: Record<string, { hasInstallScript?: boolean }>;
}

const read = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as T;

/** Names of the locked packages that carry an install script. */
function withInstallScripts(lock: Lockfile): string[] {
  const names = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript === true)
    .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
  return [...new Set(names)].sort();
}

describe.each([
  { project: "the project", manifest: "../../package.json", lock: "../../package-lock.json" },
  {
    project: "the benchmark's tools",
    manifest: "../../bench/tools/package.json",
    lock: "../../bench/tools/package-lock.json",
  },
])("install scripts of $project", ({ manifest, lock }) => {
  const allowed = read<Manifest>(manifest).allowScripts ?? {};

  it("are each approved or denied in allowScripts", () => {
    const unreviewed = withInstallScripts(read<Lockfile>(lock)).filter((name) => !(name in allowed));
    expect(unreviewed, "review them with `npm install-scripts approve|deny <name>`").toEqual([]);
  });
});

describe("the pinned Node's install script", () => {
  it("is approved, or the node package installs without its binary", () => {
    expect(read<Manifest>("../../package.json").allowScripts?.node).toBe(true);
  });
});
