// What the explorer build depends on, as one hash: every file of this workspace (but its
// build output and installs) and the root lockfile (the versions of GraphiQL, React, Monaco…).
// Plain Node with no dependencies: scripts/bootstrap.mjs imports it before anything is built,
// and vite.config.ts writes the hash next to the build as dist/.source-hash.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const explorerDir = dirname(fileURLToPath(import.meta.url));
export const distDir = join(explorerDir, "dist");
export const stampFile = join(distDir, ".source-hash");

const ignored = new Set(["dist", "node_modules", ".turbo", ".vite"]);

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !ignored.has(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return files(path);
      return entry.isFile() ? [path] : [];
    });
}

/** sha256 over the explorer's sources and the root package-lock.json. */
export function explorerSourceHash() {
  const hash = createHash("sha256");
  for (const file of files(explorerDir)) {
    hash.update(relative(explorerDir, file).split("\\").join("/")).update("\0").update(readFileSync(file)).update("\0");
  }
  const lockfile = join(explorerDir, "..", "..", "package-lock.json");
  if (existsSync(lockfile)) hash.update("package-lock.json\0").update(readFileSync(lockfile));
  return hash.digest("hex");
}

/** True when dist/ holds a complete build of the current sources. */
export function explorerBuildIsCurrent() {
  if (!existsSync(join(distDir, "index.html")) || !existsSync(stampFile)) return false;
  return readFileSync(stampFile, "utf8").trim() === explorerSourceHash();
}
