import { GraphQLError } from "graphql";
import { ErrorCode, type ErrorDetails } from "./errors.js";

/**
 * A request turned away before GraphQL execution (too large, too costly, too frequent).
 * It carries its own HTTP status and headers because it is answered by the HTTP host
 * itself: nothing of Apollo's pipeline, and no subgraph, has run for it.
 */
export class RefusedRequest extends Error {
  readonly error: GraphQLError;

  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.error = new GraphQLError(message, { extensions: { code, ...details } });
  }

  /** The GraphQL-over-HTTP body clients parse, same shape as any other error. */
  body(): { errors: ReturnType<GraphQLError["toJSON"]>[] } {
    return { errors: [this.error.toJSON()] };
  }
}

/** An operation over one of the limits: its reason, the measured value and the limit. */
export function limitExceeded(reason: string, measured: number, limit: number, what: string): RefusedRequest {
  const shown = Number.isFinite(measured) ? measured : Number.MAX_SAFE_INTEGER;
  return new RefusedRequest(400, ErrorCode.BAD_USER_INPUT, `Operation ${what} ${shown} exceeds the limit of ${limit}`, {
    reason,
    measured: shown,
    limit,
  });
}

export function badRequest(reason: string, message: string, status = 400): RefusedRequest {
  return new RefusedRequest(status, ErrorCode.BAD_USER_INPUT, message, { reason });
}

export function rateLimited(retryAfterSeconds: number, scope: string): RefusedRequest {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new RefusedRequest(
    429,
    ErrorCode.RATE_LIMITED,
    "Too many requests, try again later",
    { reason: scope, retryAfterSeconds: seconds },
    { "retry-after": String(seconds) },
  );
}
