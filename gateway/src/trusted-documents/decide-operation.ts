import { assertNever } from "@asky/runtime";
import { sha256Hex, type Manifest } from "./manifest.js";
import { persistedQueryOf, queryTextOf, type PersistedQueryProblem } from "./persisted-query.js";
import type { TrustedDocumentsMode } from "./trusted-documents-config.js";

/** The parts of an HTTP body, GET query string, graphql-ws or SSE payload this decision reads. */
export interface OperationRequest {
  readonly query?: unknown;
  readonly extensions?: unknown;
}

export type TrustedRefusalReason =
  "PERSISTED_QUERY_REQUIRED" | "PERSISTED_QUERY_NOT_FOUND" | "PERSISTED_QUERY_HASH_MISMATCH" | PersistedQueryProblem;

export type TrustedDecision =
  /** No persisted query, and ad-hoc operations are accepted: the request goes on unchanged. */
  | { readonly kind: "as-sent" }
  /** Run this text, with `extensions.persistedQuery` taken off the request. */
  | { readonly kind: "run"; readonly query: string; readonly registered: boolean }
  | { readonly kind: "refuse"; readonly reason: TrustedRefusalReason; readonly message: string };

const refuse = (reason: TrustedRefusalReason, message: string): TrustedDecision => ({
  kind: "refuse",
  reason,
  message,
});

const required = refuse(
  "PERSISTED_QUERY_REQUIRED",
  "This gateway runs registered operations only: send extensions.persistedQuery with the sha256Hash of a trusted document",
);
const notFound = refuse("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound: no trusted document has this sha256Hash");

/**
 * Whether, and as what text, one operation runs: the single decision every transport (HTTP
 * POST and GET, graphql-ws, SSE) takes before anything parses the operation.
 *
 * - off: no manifest; a hash with its text is checked and runs as that text, a bare hash is unknown.
 * - allowed: a registered hash runs its document; text runs as sent (checked against a hash sent with it).
 * - required: only registered documents run, by hash (or by hash with the same text); text
 *   alone is PERSISTED_QUERY_REQUIRED unless `adHocAllowed` (an ADMIN with TRUSTED_DOCUMENTS_EXPLORER=admins).
 *
 * A hash is never remembered from a request (no automatic persisted queries): the manifest,
 * built with the SDK and checked at start, is the only source of documents run by hash.
 */
export function decideOperation(
  mode: TrustedDocumentsMode,
  manifest: Manifest,
  request: OperationRequest,
  adHocAllowed: boolean,
): TrustedDecision {
  const persisted = persistedQueryOf(request.extensions);
  const text = queryTextOf(request.query);
  if (persisted.kind === "invalid") return refuse(persisted.reason, persisted.message);
  if (persisted.kind === "absent") {
    switch (mode) {
      case "off":
      case "allowed":
        return { kind: "as-sent" };
      case "required":
        return adHocAllowed ? { kind: "as-sent" } : required;
      default:
        return assertNever(mode, "trusted documents mode");
    }
  }
  if (typeof text === "object") return refuse("PERSISTED_QUERY_INVALID", "query must be a string");
  const registered = mode === "off" ? undefined : manifest.get(persisted.sha256Hash);
  if (text === undefined)
    return registered === undefined ? notFound : { kind: "run", query: registered, registered: true };
  // Hashing costs about what reading the body did: the body limit bounds both.
  if (sha256Hex(text) !== persisted.sha256Hash) {
    return refuse("PERSISTED_QUERY_HASH_MISMATCH", "The persisted query's sha256Hash does not match its query");
  }
  switch (mode) {
    case "off":
    case "allowed":
      return { kind: "run", query: text, registered: registered !== undefined };
    case "required":
      if (registered !== undefined) return { kind: "run", query: registered, registered: true };
      return adHocAllowed ? { kind: "run", query: text, registered: false } : notFound;
    default:
      return assertNever(mode, "trusted documents mode");
  }
}
