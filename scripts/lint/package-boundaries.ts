/**
 * Lint rule: a relative import stays inside its own workspace package.
 *
 * `../../subgraphs/users/tests/support/users-api.js` from the gateway reaches into another
 * package's files past its exports, the way `@asky/users/src/...` would. The package a file
 * belongs to is the folder of its nearest package.json (the root's one for scripts/ and
 * tests/), so nested packages such as gateway/explorer count as packages of their own.
 * Code shared across packages goes through the other package's name and its exports instead.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Rule } from "eslint";
import type { Node } from "estree";

const packageRootOf = new Map<string, string>();

/** The folder of the nearest package.json at or above `folder`. */
function packageRoot(folder: string): string {
  const known = packageRootOf.get(folder);
  if (known !== undefined) return known;
  const parent = dirname(folder);
  const root = existsSync(join(folder, "package.json")) || parent === folder ? folder : packageRoot(parent);
  packageRootOf.set(folder, root);
  return root;
}

export const noRelativeImportAcrossPackages: Rule.RuleModule = {
  meta: {
    type: "problem",
    docs: { description: "Forbid relative imports that leave the importing file's workspace package" },
    schema: [],
    messages: {
      crossing:
        '"{{source}}" reaches into {{target}} from {{own}}: import it by package name through its exports, ' +
        "or move what both need into a shared package.",
    },
  },
  create(context) {
    const fromFolder = dirname(context.filename);
    const own = packageRoot(fromFolder);
    const check = (node: Node, source: unknown): void => {
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const target = packageRoot(dirname(resolve(fromFolder, source)));
      if (target === own) return;
      const name = (folder: string) => relative(context.cwd, folder) || "the root package";
      context.report({ node, messageId: "crossing", data: { source, target: name(target), own: name(own) } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.type === "Literal" ? node.source.value : undefined),
    };
  },
};

export const packageBoundaries = { rules: { "no-relative-import-across-packages": noRelativeImportAcrossPackages } };
