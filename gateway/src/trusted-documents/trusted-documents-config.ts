import { fileURLToPath } from "node:url";
import { env, type ConfigOf } from "@asky/runtime";

export const TRUSTED_DOCUMENT_MODES = ["off", "allowed", "required"] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENT_MODES)[number];

export const TRUSTED_DOCUMENTS_EXPLORER_VALUES = ["deny", "admins"] as const;
export type TrustedDocumentsExplorer = (typeof TRUSTED_DOCUMENTS_EXPLORER_VALUES)[number];

/** The SDK's manifest in the repository; the build copies it to the same place in the image. */
export const defaultManifestPath = fileURLToPath(
  new URL("../../../packages/client/src/gql/persisted-documents.json", import.meta.url),
);

/**
 * Trusted documents (README, "Trusted documents"). The default is `allowed` whatever NODE_ENV
 * says: switching production to `required` by default would, on upgrade, silently cut off every
 * integration that sends its own queries (a ward's reporting script, the HIS bridge). The
 * production deployment we ship (deploy/kubernetes/overlays/production) sets `required`, and a
 * production gateway in any other mode says so in its log at start.
 */
export const trustedDocumentsEnv = {
  trustedDocuments: env.oneOf("TRUSTED_DOCUMENTS", TRUSTED_DOCUMENT_MODES, {
    description:
      "Operation allowlist: off (no manifest), allowed (registered operations by sha256Hash, ad-hoc queries too), required (registered operations only; the production deployment's setting). Default allowed, NODE_ENV=production included",
    default: "allowed",
  }),
  trustedDocumentsManifest: env.string("TRUSTED_DOCUMENTS_MANIFEST", {
    description:
      'Manifest of trusted documents, {"<sha256 hex>": "<document>"} (the SDK build writes it); checked at start, required when TRUSTED_DOCUMENTS=required',
    default: defaultManifestPath,
  }),
  trustedDocumentsExplorer: env.oneOf("TRUSTED_DOCUMENTS_EXPLORER", TRUSTED_DOCUMENTS_EXPLORER_VALUES, {
    description:
      "With TRUSTED_DOCUMENTS=required: deny refuses every ad-hoc operation (the explorer's included); admins lets signed-in ADMIN users run ad-hoc operations (the explorer with an admin's token), everyone else stays on the manifest",
    default: "deny",
  }),
};

export type TrustedDocumentsConfig = ConfigOf<typeof trustedDocumentsEnv>;
