import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The benchmark's heavy third-party tools, the peer gateway (Hive Gateway, ~770 packages with
 * its dependencies) and the load generator (autocannon), are not part of the project's
 * install: nobody needs them to start or test Asky. They have their own package.json and
 * lockfile in bench/tools, which `npm run bench` installs on first use (scripts/bootstrap.mjs),
 * and are loaded from there.
 */
export const benchToolsDir = fileURLToPath(new URL("../tools/", import.meta.url));

/**
 * A tool's module as `require` gives it (its CommonJS build where it has two). Typed by the
 * caller: the project's type check runs without the tools installed.
 */
export function loadBenchTool<T>(name: string): T {
  if (!existsSync(join(benchToolsDir, "node_modules", name))) {
    throw new Error(`${name} is not installed: \`npm run bench\` installs bench/tools on first use`);
  }
  return createRequire(join(benchToolsDir, "package.json"))(name) as T;
}
