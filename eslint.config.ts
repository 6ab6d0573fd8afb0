/**
 * Lint rules of the whole repository (`npm run lint`, also part of `npm test`). Formatting is
 * Prettier's (.prettierrc.json), so nothing here is about layout: these rules catch bugs
 * (an unawaited promise, a switch that forgets a case, `any` leaking past the type checker)
 * and keep every workspace package behind its exports.
 */
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";
import { packageBoundaries } from "./scripts/lint/package-boundaries.js";

const typeScript = ["**/*.ts", "**/*.tsx", "**/*.mts"];

/** Every workspace package is imported through its exports, never its src/ or tests/ files. */
const packageImportRules = [
  {
    group: ["@asky/*/src", "@asky/*/src/**"],
    message: "Import a workspace package through its exports (its package.json), not its src/ files.",
  },
  {
    group: ["@asky/*/tests", "@asky/*/tests/**"],
    message: "Shared test helpers live in @asky/stack/testing, not in another package's tests/.",
  },
];

export default defineConfig(
  globalIgnores([
    "**/node_modules/",
    "**/dist/",
    "**/.turbo/",
    ".data/",
    ".asky/",
    "coverage/",
    // Written by GraphQL Code Generator (npm run codegen).
    "subgraphs/*/src/generated/",
    "packages/client/src/gql/",
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: typeScript,
    languageOptions: {
      parserOptions: {
        // One TypeScript program per workspace tsconfig.json, as `npm run typecheck` builds them.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-aware rules, chosen for the bugs they catch rather than the whole typed preset:
      // on two cores every further rule costs the whole lint run.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-explicit-any": "error",
      // An interface that only extends is how a module augmentation merges (vitest's ProvidedContext).
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Plain JavaScript runs on Node (scripts/bootstrap.mjs runs before node_modules exists).
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    plugins: { asky: packageBoundaries },
    rules: {
      "asky/no-relative-import-across-packages": "error",
      "no-restricted-imports": ["error", { patterns: packageImportRules }],
    },
  },
  {
    // A subgraph's rules stay plain functions and types (README, "Inside a subgraph"): the rest
    // of the service may import domain/, never the other way. A later block replaces a rule's
    // options rather than merging them, hence the package rules again.
    files: ["subgraphs/*/src/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...packageImportRules,
            {
              group: ["../*"],
              message: "domain/ imports only other domain/ files and packages, nothing else of its service.",
            },
          ],
        },
      ],
    },
  },
);
