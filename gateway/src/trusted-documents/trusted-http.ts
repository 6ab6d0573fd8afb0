import type { IncomingMessage } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { RefusedRequest, type GraphQLRequestParts, type HttpAdmission } from "@asky/runtime";
import { parseBearer, type VerifiedAccessToken } from "@asky/auth";
import type { Viewer } from "@asky/contracts";
import type { GatewayContext } from "../context.js";
import type { TrustedDocuments } from "./trusted-documents.js";

export interface TrustedHttpOptions {
  trusted: TrustedDocuments;
  /** The gateway's own admission (limits, rate limits), run with the resolved text; null in the benchmark. */
  inner: HttpAdmission | null;
  verify: (token: string) => Promise<VerifiedAccessToken>;
  /** Body limit when there is no inner admission to set one. */
  maxBodyBytes: number;
}

/**
 * Trusted documents for GraphQL over HTTP, in front of the gateway's admission: a refused
 * operation is answered before anything parses it, and the operation limits measure the
 * document that will run, not the bare hash. A POST body is rewritten in place, the object
 * the HTTP host then hands to Apollo Server; a GET's query string cannot be, so
 * trustedDocumentsPlugin resolves those once Apollo Server has read it.
 */
export function trustedHttpAdmission(options: TrustedHttpOptions): HttpAdmission {
  const { trusted, inner } = options;
  const viewers = new WeakMap<IncomingMessage, Viewer>();
  // Only an ADMIN's ad-hoc operations can change the decision (TRUSTED_DOCUMENTS_EXPLORER=admins).
  const needsViewer = trusted.adHocByRole;
  return {
    async beforeBody(req) {
      const admitted = inner ? await inner.beforeBody(req) : { maxBodyBytes: options.maxBodyBytes };
      const token = needsViewer ? parseBearer(req.headers.authorization) : null;
      if (token !== null) {
        // A cache hit: the inner admission has just verified the same token.
        const verified = await options.verify(token).catch(() => null);
        if (verified) viewers.set(req, verified.viewer);
      }
      return admitted;
    },
    check(request, req) {
      const resolved = trusted.admit(request, viewers.get(req) ?? null);
      if (resolved) {
        const body = request as { -readonly [K in keyof GraphQLRequestParts]: GraphQLRequestParts[K] };
        body.query = resolved.query;
        if (resolved.extensions) body.extensions = resolved.extensions;
        else delete body.extensions;
      }
      inner?.check(request, req);
    },
  };
}

/**
 * Resolves operations sent by hash that reach Apollo Server still carrying
 * `extensions.persistedQuery` (GET requests: trustedHttpAdmission has admitted them but could
 * not rewrite the query string). Apollo Server's own automatic persisted queries are off
 * (`persistedQueries: false`), so nothing else answers a hash. Admission already refused
 * what must not run; should anything slip through, the request is left without a query,
 * which Apollo Server refuses as a bad request, never runs.
 */
export function trustedDocumentsPlugin(trusted: TrustedDocuments): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const extensions: unknown = request.extensions;
      if (typeof extensions !== "object" || extensions === null || !("persistedQuery" in extensions)) return;
      try {
        const resolved = trusted.admit(request, contextValue.viewer);
        if (!resolved) return;
        request.query = resolved.query;
        request.extensions = resolved.extensions;
      } catch (error) {
        if (!(error instanceof RefusedRequest)) throw error;
        request.query = undefined;
        request.extensions = undefined;
      }
    },
  };
}
