import { serviceRegistry, subgraphNames, type ServiceId } from "@asky/contracts";

/** A bundle of the build: `<name>.js` in the build folder, from one TypeScript entry point. */
export interface BuildEntry {
  name: string;
  source: string;
}

/** The processes the image runs: each service by its registry name, and the database setup. */
export const buildEntries: readonly BuildEntry[] = [
  ...(["gateway", ...subgraphNames] as const).map((id: ServiceId) => ({
    name: id,
    source: id === "gateway" ? "gateway/src/index.ts" : `subgraphs/${id}/src/index.ts`,
  })),
  { name: "setup-database", source: "scripts/setup-database.ts" },
];

/**
 * Files the bundles read at run time, relative to the repository root and copied to the same
 * place under the build folder: every service's schema, the committed migrations, the
 * explorer's and the ward board's static builds. The build fails when a URL in the source
 * points anywhere else that is not run-time state (asset-urls.ts).
 */
export const runtimeAssets: readonly string[] = [
  ...Object.values(serviceRegistry).map((service) => service.schemaPath),
  "db/migrations",
  "gateway/explorer/dist",
  "gateway/board/dist",
  // The trusted documents manifest the gateway loads (TRUSTED_DOCUMENTS_MANIFEST).
  "packages/client/src/gql/persisted-documents.json",
];

/**
 * Places the source points at that hold state written while running, never build inputs:
 * the development key store (production takes its keys from configuration). Not copied, so a
 * developer's keys never reach an image.
 */
export const runtimeStatePaths: readonly string[] = [".data"];
