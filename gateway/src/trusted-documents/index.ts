export {
  trustedDocumentsEnv,
  type TrustedDocumentsConfig,
  type TrustedDocumentsMode,
} from "./trusted-documents-config.js";
export { loadTrustedDocuments, TrustedDocuments, type ResolvedOperation } from "./trusted-documents.js";
export { trustedDocumentsPlugin, trustedHttpAdmission } from "./trusted-http.js";
export { ManifestError } from "./manifest.js";
