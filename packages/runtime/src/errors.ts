import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "./logger.js";
import { currentRequestId } from "./request-context.js";

/**
 * The error codes of the public contract. Clients switch on these, so this enum is the
 * only place a code is spelled; everything else goes through the factories below.
 */
export enum ErrorCode {
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  BAD_USER_INPUT = "BAD_USER_INPUT",
  NOT_FOUND = "NOT_FOUND",
  CONFLICT = "CONFLICT",
  RATE_LIMITED = "RATE_LIMITED",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
  /**
   * Trusted documents (README, "Trusted documents"): the gateway runs only registered
   * operations (TRUSTED_DOCUMENTS=required) and this one came as text. Send it by the hash of
   * its registered document (`extensions.persistedQuery`), i.e. use a build of the SDK.
   */
  PERSISTED_QUERY_REQUIRED = "PERSISTED_QUERY_REQUIRED",
  /**
   * `extensions.persistedQuery.sha256Hash` names no document of the gateway's manifest: a client
   * built from other operations than this gateway's. Where ad-hoc operations are accepted, send
   * the query text along; otherwise the client needs a build this gateway knows.
   */
  PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND",
}

const contractCodes = new Set<string>(Object.values(ErrorCode));

/** Codes graphql-js and Apollo Server emit for malformed operations; the client's fault. */
const clientFaultCodes = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  // Apollo Gateway's code when the client's document cannot be planned (e.g. an unknown
  // operationName); the gateway raises it only while reading the client's operation.
  "INVALID_GRAPHQL",
]);

export type ErrorDetails = Record<string, string | number | boolean | null | readonly string[]>;

/**
 * `extensions.reason` when an access token could be revoked and nobody can say it is not
 * (README, "Revocation fails closed"). Not UNAUTHENTICATED: the token may well be good, and a
 * client told to sign in again would drop its tokens and call the very service that is not
 * answering. A 503 with `Retry-After`, retried like SUBGRAPH_UNAVAILABLE.
 */
export const SESSION_UNVERIFIABLE = "SESSION_UNVERIFIABLE";
export const SESSION_UNVERIFIABLE_MESSAGE = "Your session cannot be verified right now; try again shortly";

function make(code: ErrorCode, message: string, details?: ErrorDetails): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

export const errors = {
  unauthenticated: (message = "Authentication required") => make(ErrorCode.UNAUTHENTICATED, message),
  forbidden: (message = "Not allowed", details?: ErrorDetails) => make(ErrorCode.FORBIDDEN, message, details),
  badUserInput: (message: string, details?: ErrorDetails) => make(ErrorCode.BAD_USER_INPUT, message, details),
  notFound: (what: string, id?: string) =>
    make(ErrorCode.NOT_FOUND, id === undefined ? `${what} not found` : `${what} ${id} not found`),
  conflict: (message: string, details?: ErrorDetails) => make(ErrorCode.CONFLICT, message, details),
  rateLimited: (retryAfterSeconds: number) =>
    make(ErrorCode.RATE_LIMITED, "Too many attempts, try again later", { retryAfterSeconds }),
  /** A count the client holds open (connections, subscriptions) is at its limit; `reason` names which. */
  limitReached: (message: string, reason: string, details?: ErrorDetails) =>
    make(ErrorCode.RATE_LIMITED, message, { ...details, reason }),
  /** From a context factory: extensions.http sets the response's status and header. */
  sessionUnverifiable: () => {
    // Apollo Server reads a Map; some packages' typings of `extensions.http` say otherwise.
    const extensions: Record<string, unknown> = {
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      reason: SESSION_UNVERIFIABLE,
      http: { status: 503, headers: new Map([["retry-after", "1"]]) },
    };
    return new GraphQLError(SESSION_UNVERIFIABLE_MESSAGE, { extensions });
  },
};

export function isContractError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && contractCodes.has(String(error.extensions.code));
}

/**
 * Builds Apollo Server's `formatError`: deliberate errors keep their message and code,
 * malformed operations become BAD_USER_INPUT, and anything else is an unexpected fault:
 * it is logged in full with the request's correlation id and the client sees only a
 * generic message plus that id, which a nurse can read out to the help desk.
 */
export function createErrorFormatter(logger: Logger) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    const code = String(formatted.extensions?.code ?? "");
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};

    if (isContractError(original) || (contractCodes.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
      return { ...formatted, extensions };
    }
    if (clientFaultCodes.has(code)) {
      return { ...formatted, extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, reason: code } };
    }
    const correlationId = currentRequestId();
    logger.error({ err: original, correlationId, path: formatted.path }, "unexpected error");
    return {
      message: "Internal server error",
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId },
    };
  };
}
