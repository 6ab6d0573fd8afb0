import type { Counter } from "@opentelemetry/api";
import { assertNever, ErrorCode, RefusedRequest, type Logger } from "@asky/runtime";
import type { Viewer } from "@asky/contracts";
import { decideOperation, type OperationRequest, type TrustedRefusalReason } from "./decide-operation.js";
import { EMPTY_MANIFEST, ManifestError, readManifest, type Manifest } from "./manifest.js";
import { withoutPersistedQuery } from "./persisted-query.js";
import {
  defaultManifestPath,
  type TrustedDocumentsConfig,
  type TrustedDocumentsExplorer,
  type TrustedDocumentsMode,
} from "./trusted-documents-config.js";

/** What runs instead of the request as sent: the resolved text, `persistedQuery` taken off. */
export interface ResolvedOperation {
  readonly query: string;
  readonly extensions: Record<string, unknown> | undefined;
}

function codeOf(reason: TrustedRefusalReason): ErrorCode {
  switch (reason) {
    case "PERSISTED_QUERY_REQUIRED":
      return ErrorCode.PERSISTED_QUERY_REQUIRED;
    case "PERSISTED_QUERY_NOT_FOUND":
      return ErrorCode.PERSISTED_QUERY_NOT_FOUND;
    case "PERSISTED_QUERY_HASH_MISMATCH":
    case "PERSISTED_QUERY_INVALID":
    case "PERSISTED_QUERY_VERSION_UNSUPPORTED":
      return ErrorCode.BAD_USER_INPUT;
    default:
      return assertNever(reason, "trusted documents refusal");
  }
}

/**
 * The gateway's trusted documents: its mode, its manifest, and the one admission step every
 * transport calls (HTTP in trusted-http.ts, graphql-ws and SSE in subscriptions/admit-operation.ts).
 */
export class TrustedDocuments {
  constructor(
    readonly mode: TrustedDocumentsMode,
    readonly manifest: Manifest,
    private readonly explorer: TrustedDocumentsExplorer,
    private readonly refused: Pick<Counter, "add"> | null = null,
  ) {}

  /** Whether who is asking can change a decision: ADMIN users' ad-hoc operations under `required`. */
  get adHocByRole(): boolean {
    return this.mode === "required" && this.explorer === "admins";
  }

  /**
   * Undefined when the request runs as sent; what to run instead when it came by hash; throws
   * a RefusedRequest (HTTP 400, a coded client error, counted by reason) when it must not run.
   */
  admit(request: OperationRequest, viewer: Viewer | null): ResolvedOperation | undefined {
    const adHocAllowed = this.adHocByRole && viewer?.role === "ADMIN";
    const decision = decideOperation(this.mode, this.manifest, request, adHocAllowed);
    switch (decision.kind) {
      case "as-sent":
        return undefined;
      case "run":
        return { query: decision.query, extensions: withoutPersistedQuery(request.extensions) };
      case "refuse": {
        this.refused?.add(1, { reason: decision.reason });
        const code = codeOf(decision.reason);
        // Its own code says it all for the two the contract names; the others are bad input, by reason.
        throw new RefusedRequest(
          400,
          code,
          decision.message,
          code === ErrorCode.BAD_USER_INPUT ? { reason: decision.reason } : {},
        );
      }
      default:
        return assertNever(decision, "trusted documents decision");
    }
  }

  /** The request as it runs: `request` itself, or a copy with the resolved text and extensions. */
  resolve<T extends OperationRequest>(request: T, viewer: Viewer | null): T {
    const resolved = this.admit(request, viewer);
    if (!resolved) return request;
    const { extensions: _extensions, ...rest } = request;
    return { ...rest, query: resolved.query, ...(resolved.extensions ? { extensions: resolved.extensions } : {}) } as T;
  }
}

/**
 * Reads and checks the manifest at start. The gateway refuses to start on a manifest that is
 * there but wrong, and on a missing one when it is required or was named explicitly; only the
 * default file may be missing (a checkout before the SDK's first build), and only when allowed.
 */
export async function loadTrustedDocuments(
  config: TrustedDocumentsConfig & { nodeEnv: string },
  logger: Logger,
  refused: Pick<Counter, "add"> | null,
): Promise<TrustedDocuments> {
  const mode = config.trustedDocuments;
  const path = config.trustedDocumentsManifest;
  if (config.nodeEnv === "production" && mode !== "required") {
    logger.warn({ mode }, "TRUSTED_DOCUMENTS is not required in production: ad-hoc operations are accepted");
  }
  if (mode === "off") return new TrustedDocuments(mode, EMPTY_MANIFEST, config.trustedDocumentsExplorer, refused);
  const manifest = await readManifest(path);
  if (manifest === null) {
    if (mode === "required" || path !== defaultManifestPath) {
      throw new ManifestError(
        path,
        `not found (TRUSTED_DOCUMENTS=${mode}); build the SDK's manifest (npm run codegen) or set TRUSTED_DOCUMENTS_MANIFEST`,
      );
    }
    logger.warn({ path }, "no trusted documents manifest: operations by hash are unknown until the SDK is built");
  }
  const documents = manifest ?? EMPTY_MANIFEST;
  logger.info({ mode, path, documents: documents.size }, "trusted documents");
  return new TrustedDocuments(mode, documents, config.trustedDocumentsExplorer, refused);
}
