// What the board build depends on, as one hash: every file of this workspace and of the SDK it
// imports from source (packages/client), but build output and installs, and the root lockfile.
// Plain Node with no dependencies: scripts/bootstrap.mjs imports it before anything is built,
// and vite.config.ts writes the hash next to the build as dist/.source-hash.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const boardDir = dirname(fileURLToPath(import.meta.url));
export const distDir = join(boardDir, "dist");
export const stampFile = join(distDir, ".source-hash");

const repoRoot = join(boardDir, "..", "..");
const sourceDirs = [boardDir, join(repoRoot, "packages", "client")];
const ignored = new Set(["dist", "node_modules", ".turbo", ".vite", "tests"]);

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !ignored.has(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return files(path);
      return entry.isFile() ? [path] : [];
    });
}

/** sha256 over the board's and the SDK's sources and the root package-lock.json. */
export function boardSourceHash() {
  const hash = createHash("sha256");
  for (const dir of sourceDirs) {
    for (const file of files(dir)) {
      hash.update(relative(repoRoot, file).split("\\").join("/")).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  const lockfile = join(repoRoot, "package-lock.json");
  if (existsSync(lockfile)) hash.update("package-lock.json\0").update(readFileSync(lockfile));
  return hash.digest("hex");
}

/** True when dist/ holds a complete build of the current sources. */
export function boardBuildIsCurrent() {
  if (!existsSync(join(distDir, "index.html")) || !existsSync(stampFile)) return false;
  return readFileSync(stampFile, "utf8").trim() === boardSourceHash();
}
