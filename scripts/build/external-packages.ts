import { existsSync, readFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import { dirname, join, relative } from "node:path";

/**
 * Packages the bundles load from node_modules at run time instead of carrying inline: those
 * with a native addon, whose binary comes as a per-platform optional package that a bundler
 * cannot follow. The build copies each, with everything it depends on as installed here (so
 * the image's platform must be this build's: the Dockerfile builds in the image's base).
 */
export const nativePackages = ["@node-rs/argon2"] as const;

/**
 * Optional peers that bundled libraries `require` inside a try/catch and never need: marked
 * external so the bundle builds, and absent at run time, where the library falls back.
 */
export const absentOptionalPackages = [
  "pg-native", // pg's libpq binding; Asky uses the pure JavaScript client
  "bufferutil", // ws's optional native speed-ups
  "utf-8-validate",
] as const;

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules holding it. */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Copies `roots` and their installed dependency closure into `outDir/node_modules`, keeping
 * nested node_modules where npm nested them. An optional dependency that is not installed
 * (another platform's binary) is skipped; a missing required one fails the build.
 */
export async function copyExternalPackages(
  roots: readonly string[],
  repoRoot: string,
  outDir: string,
): Promise<{ name: string; version: string }[]> {
  const copied = new Map<string, Manifest>();
  const visit = async (name: string, fromDir: string, optional: boolean): Promise<void> => {
    const dir = packageDir(name, fromDir);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} is needed at run time but is not installed (from ${fromDir})`);
    }
    if (copied.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
    copied.set(dir, manifest);
    await cp(dir, join(outDir, relative(repoRoot, dir)), {
      recursive: true,
      // Its own nested dependencies are visited (and copied) as packages of their own.
      filter: (source) => !relative(dir, source).split("/").includes("node_modules"),
    });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) await visit(dependency, dir, false);
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) await visit(dependency, dir, true);
  };
  for (const name of roots) await visit(name, repoRoot, false);
  return [...copied.values()].map(({ name, version }) => ({ name, version }));
}
