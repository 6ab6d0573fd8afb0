/**
 * Typed errors: every failure the client reports is an AskyClientError whose `code` is the
 * server's `extensions.code` (the contract's codes) or one of the client's own for failures
 * that never reached a GraphQL answer (NETWORK_ERROR, ABORTED).
 */
export const askyErrorCodes = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "INTERNAL_SERVER_ERROR",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_REQUIRED",
  // The client's own: the server could not be reached (after the retries), or the caller aborted.
  "NETWORK_ERROR",
  "ABORTED",
  // A code this version of the client does not know; `extensions.code` holds the server's.
  "UNKNOWN",
] as const;

export type AskyErrorCode = (typeof askyErrorCodes)[number];

const known = new Set<string>(askyErrorCodes);

/** One error of a GraphQL response, as the server formats it. */
export interface GraphQLErrorLike {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface AskyClientErrorDetails {
  reason?: string | null;
  path?: readonly (string | number)[] | null;
  extensions?: Record<string, unknown>;
  /** Every error of the response; the first one names the AskyClientError. */
  errors?: readonly GraphQLErrorLike[];
  /** HTTP status of the response, when there was one. */
  status?: number | null;
  cause?: unknown;
}

export class AskyClientError extends Error {
  override readonly name = "AskyClientError";
  readonly code: AskyErrorCode;
  /** `extensions.reason`: the finer cause (e.g. RESYNC_REQUIRED, IDEMPOTENCY_KEY_REUSED). */
  readonly reason: string | null;
  readonly path: readonly (string | number)[] | null;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly errors: readonly GraphQLErrorLike[];
  readonly status: number | null;

  constructor(code: AskyErrorCode, message: string, details: AskyClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.reason = details.reason ?? null;
    this.path = details.path ?? null;
    this.extensions = details.extensions ?? {};
    this.errors = details.errors ?? [];
    this.status = details.status ?? null;
  }

  /** The code or the reason is `name`: PERSISTED_QUERY_NOT_FOUND may come as either. */
  is(name: string): boolean {
    return this.code === name || this.reason === name || this.extensions.code === name;
  }
}

/**
 * `isAskyErrorCode(value)`: value is one of the codes. `isAskyErrorCode(error, code)`: error
 * is an AskyClientError with that code.
 */
export function isAskyErrorCode(value: unknown): value is AskyErrorCode;
export function isAskyErrorCode<C extends AskyErrorCode>(
  error: unknown,
  code: C,
): error is AskyClientError & { code: C };
export function isAskyErrorCode(value: unknown, code?: AskyErrorCode): boolean {
  if (code === undefined) return typeof value === "string" && known.has(value);
  return value instanceof AskyClientError && value.code === code;
}

/** The AskyClientError of a response's errors, named by its first one. */
export function errorFromGraphQL(errors: readonly GraphQLErrorLike[], status: number | null = null): AskyClientError {
  const first = errors[0] ?? { message: "The server answered with an empty error list" };
  const extensions = first.extensions ?? {};
  const serverCode = typeof extensions.code === "string" ? extensions.code : null;
  const code: AskyErrorCode = serverCode !== null && isAskyErrorCode(serverCode) ? serverCode : "UNKNOWN";
  const reason = typeof extensions.reason === "string" ? extensions.reason : null;
  return new AskyClientError(code, first.message, { reason, path: first.path ?? null, extensions, errors, status });
}

/** Anything thrown, as an AskyClientError (a transport's error events are not always Errors). */
export function asAskyClientError(error: unknown): AskyClientError {
  if (error instanceof AskyClientError) return error;
  if (Array.isArray(error)) return errorFromGraphQL(error as GraphQLErrorLike[]);
  const message = error instanceof Error ? error.message : String(error);
  return new AskyClientError("NETWORK_ERROR", message, { cause: error });
}
