import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { Plugin } from "esbuild";

/**
 * Asky's source finds its files next to itself: `new URL("../schema.graphql", import.meta.url)`
 * in a subgraph's entry, `../migrations/${service}` in @asky/db, the explorer's dist/ in the
 * gateway. Bundled, every module's `import.meta.url` becomes the URL of the output file, so
 * each such URL is rewritten at build time to point at the same file under the build folder,
 * which mirrors the repository's layout for the assets it copies (`./subgraphs/users/schema.graphql`).
 * All output files sit directly in the build folder (chunks included), so "./" is the same place
 * whichever output file a module lands in.
 *
 * Every rewritten target is recorded, so the build can refuse to finish when one of them is
 * neither copied nor known to be run-time state: a missing asset fails the build, not the
 * first request that needs it.
 */
export interface AssetUrl {
  /** Absolute path the source meant (for a template, the folder its fixed part names). */
  target: string;
  /** Path relative to the repository root, as it appears under the build folder. */
  mirrored: string;
  /** The source file holding the URL. */
  importer: string;
}

// `new URL("x", import.meta.url)` or `new URL(`x/${y}`, import.meta.url)`; nothing more dynamic.
const literalUrl = /new URL\(\s*(["'])([^"'`$]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const templateUrl = /new URL\(\s*`([^`$]*)(\$\{[^`]*)`\s*,\s*import\.meta\.url\s*\)/g;
const anyUrl = /new URL\([^)]*import\.meta\.url/;

/** The mirrored location of `target`, or an error when it lies outside the repository. */
export function mirrorOf(repoRoot: string, target: string): string {
  const path = relative(repoRoot, target);
  if (path === "" || path.startsWith("..") || isAbsolute(path)) {
    throw new Error(`${target} is outside the repository; a build cannot carry it`);
  }
  return path.split(sep).join("/");
}

/**
 * Rewrites the import.meta-relative URLs of one source file. Returns the new text and what it
 * pointed at; throws on a URL built some other way, which the build could not follow.
 */
export function rewriteAssetUrls(
  source: string,
  file: string,
  repoRoot: string,
): { contents: string; assets: AssetUrl[] } {
  const assets: AssetUrl[] = [];
  const rebase = (path: string, keepTrailingSlash: boolean): string => {
    const target = resolve(dirname(file), path);
    const mirrored = mirrorOf(repoRoot, target);
    assets.push({ target, mirrored, importer: file });
    return `./${mirrored}${keepTrailingSlash && path.endsWith("/") ? "/" : ""}`;
  };
  let contents = source.replace(
    literalUrl,
    (_match, quote: string, path: string) => `new URL(${quote}${rebase(path, true)}${quote}, import.meta.url)`,
  );
  contents = contents.replace(templateUrl, (_match, head: string, rest: string) => {
    if (!head.endsWith("/")) {
      throw new Error(`${file}: a URL template must name a folder before its first \${...} (got "${head}")`);
    }
    return `new URL(\`${rebase(head, true)}${rest}\`, import.meta.url)`;
  });
  // Whatever is left took a form the two patterns above do not rewrite.
  const leftover = contents
    .split("\n")
    .find((line) => anyUrl.test(line) && !line.includes("new URL(`./") && !/new URL\(\s*["']\.\//.test(line));
  if (leftover !== undefined) throw new Error(`${file}: cannot rewrite "${leftover.trim()}" for the build`);
  return { contents, assets };
}

/** The esbuild plugin applying rewriteAssetUrls to Asky's own TypeScript (not to node_modules). */
export function assetUrlsPlugin(repoRoot: string, found: AssetUrl[]): Plugin {
  return {
    name: "asky-asset-urls",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!source.includes("import.meta.url")) return undefined;
        const { contents, assets } = rewriteAssetUrls(source, args.path, repoRoot);
        found.push(...assets);
        return { contents, loader: "ts" };
      });
    },
  };
}
