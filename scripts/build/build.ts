/**
 * Builds what the image runs: one JavaScript bundle per process (`gateway.js`, `users.js`,
 * `dispensers.js`, `requests.js`, `reports.js`, `setup-database.js`) with their shared chunks, the files they
 * read at run time, and the few packages that cannot be bundled, in one folder that needs
 * nothing else but Node:
 *
 *   npm run build                 # → dist/
 *   npm run build -- --out /tmp/x
 *
 * Development keeps running TypeScript through tsx; this is for images and deployments.
 */
import { existsSync } from "node:fs";
import { cp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { isEntryPoint } from "@asky/runtime";
import { assetUrlsPlugin, type AssetUrl } from "./asset-urls.js";
import { absentOptionalPackages, copyExternalPackages, nativePackages } from "./external-packages.js";
import { buildEntries, runtimeAssets, runtimeStatePaths } from "./runtime-assets.js";

const defaultRepoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface BuildResult {
  outDir: string;
  /** Bytes of JavaScript emitted (bundles and chunks, without source maps). */
  javascriptBytes: number;
  /** Packages copied into node_modules because they cannot be bundled. */
  externalPackages: { name: string; version: string }[];
}

// Bundled CommonJS libraries call require() for Node's built-ins; an ES module has none.
const requireShim = [
  'import { createRequire as __askyCreateRequire } from "node:module";',
  "const require = __askyCreateRequire(import.meta.url);",
].join("\n");

function covered(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(`${root}/`));
}

export async function buildRuntime(options: { outDir: string; repoRoot?: string }): Promise<BuildResult> {
  const repoRoot = options.repoRoot ?? defaultRepoRoot;
  const outDir = resolve(options.outDir);
  if (!existsSync(join(repoRoot, "gateway", "explorer", "dist", "index.html"))) {
    throw new Error("the explorer is not built: run `npm run build -w @asky/explorer` first");
  }
  if (!existsSync(join(repoRoot, "gateway", "board", "dist", "index.html"))) {
    throw new Error("the ward board is not built: run `npm run build -w @asky/board` first");
  }
  await rm(outDir, { recursive: true, force: true });

  const assetUrls: AssetUrl[] = [];
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: buildEntries.map((entry) => ({ in: entry.source, out: entry.name })),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // Every output file in one folder: see asset-urls.ts.
    chunkNames: "chunk-[hash]",
    sourcemap: "linked",
    // Stack traces name the TypeScript file and line; the text itself stays in the repository.
    sourcesContent: false,
    banner: { js: requireShim },
    external: [...nativePackages, ...absentOptionalPackages],
    plugins: [assetUrlsPlugin(repoRoot, assetUrls)],
    metafile: true,
    logLevel: "warning",
  });

  const unknown = assetUrls.filter((asset) => !covered(asset.mirrored, [...runtimeAssets, ...runtimeStatePaths]));
  if (unknown.length > 0) {
    const list = unknown.map((asset) => `${asset.mirrored} (from ${asset.importer})`).join(", ");
    throw new Error(`the source reads files the build does not carry: ${list}; add them to runtime-assets.ts`);
  }
  for (const asset of runtimeAssets) {
    const source = join(repoRoot, asset);
    if (!existsSync(source)) throw new Error(`run-time asset ${asset} does not exist`);
    await cp(source, join(outDir, asset), { recursive: true });
  }
  const externalPackages = await copyExternalPackages(nativePackages, repoRoot, outDir);

  const root = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as {
    version: string;
    engines: Record<string, string>;
  };
  // `type: module` makes Node load the bundles as ES modules; nothing here is installable.
  const manifest = { name: "asky", version: root.version, private: true, type: "module", engines: root.engines };
  await writeFile(join(outDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  let javascriptBytes = 0;
  for (const file of Object.keys(result.metafile.outputs)) {
    if (file.endsWith(".js")) javascriptBytes += (await stat(resolve(repoRoot, file))).size;
  }
  return { outDir, javascriptBytes, externalPackages };
}

if (isEntryPoint(import.meta.url)) {
  const outIndex = process.argv.indexOf("--out");
  const outDir = outIndex > 0 ? process.argv[outIndex + 1] : join(defaultRepoRoot, "dist");
  if (!outDir) throw new Error("--out needs a folder");
  const started = Date.now();
  const built = await buildRuntime({ outDir });
  const megabytes = (built.javascriptBytes / 1024 / 1024).toFixed(1);
  const packages = built.externalPackages.map((pkg) => `${pkg.name}@${pkg.version}`).join(", ");
  console.log(`[build] ${built.outDir}: ${megabytes} MiB of JavaScript, unbundled: ${packages}`);
  console.log(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
