/**
 * What a subscription does about a failure: refresh the token and resume, resume after a
 * back-off, start again from now and tell the app to reload (resync), send the text instead
 * of the hash, or give up and report.
 */
import { AskyClientError, asAskyClientError, errorFromGraphQL, type GraphQLErrorLike } from "../errors.js";

export type FailureKind = "refresh" | "resume" | "resync" | "unpersist" | "fatal";

export interface ClassifiedFailure {
  kind: FailureKind;
  error: AskyClientError;
}

/** graphql-ws closes a client should not retry: its own bugs, or a refusal that will not change. */
const fatalCloseCodes = new Set([4400, 4403, 4406, 4409, 4429]);

interface CloseLike {
  code: number;
  reason: string;
}

function isCloseLike(value: unknown): value is CloseLike {
  return (
    typeof value === "object" &&
    value !== null &&
    "code" in value &&
    typeof value.code === "number" &&
    "reason" in value
  );
}

function isGraphQLErrorList(value: unknown): value is GraphQLErrorLike[] {
  return Array.isArray(value) && value.every((item) => typeof item === "object" && item !== null && "message" in item);
}

/** graphql-sse's NetworkError carries the HTTP response that refused the stream. */
function responseStatus(value: unknown): number | null {
  if (!(value instanceof Error) || !("response" in value)) return null;
  const response = (value as { response?: { status?: unknown } }).response;
  return typeof response?.status === "number" ? response.status : null;
}

export function classifyFailure(failure: unknown): ClassifiedFailure {
  if (isCloseLike(failure) && !(failure instanceof AskyClientError)) {
    const error = new AskyClientError(
      failure.code === 4401 ? "UNAUTHENTICATED" : "NETWORK_ERROR",
      closeMessage(failure),
      {
        reason: `CLOSE_${failure.code}`,
        cause: failure,
      },
    );
    if (failure.code === 4401) return { kind: "refresh", error };
    return { kind: fatalCloseCodes.has(failure.code) ? "fatal" : "resume", error };
  }
  const status = responseStatus(failure);
  if (status !== null) {
    const error = new AskyClientError(
      status === 401 ? "UNAUTHENTICATED" : "NETWORK_ERROR",
      `The stream was refused with ${status}`,
      {
        status,
        cause: failure,
      },
    );
    if (status === 401) return { kind: "refresh", error };
    return { kind: status >= 500 || status === 429 ? "resume" : "fatal", error };
  }
  const error = isGraphQLErrorList(failure) ? errorFromGraphQL(failure) : asAskyClientError(failure);
  return { kind: kindOf(error), error };
}

function kindOf(error: AskyClientError): FailureKind {
  if (error.is("PERSISTED_QUERY_NOT_FOUND")) return "unpersist";
  if (error.reason === "RESYNC_REQUIRED") return "resync";
  // The schema was reloaded under the subscription: resubscribing plans it anew.
  if (error.reason === "SUPERGRAPH_CHANGED") return "resume";
  switch (error.code) {
    case "UNAUTHENTICATED":
      return "refresh";
    case "NETWORK_ERROR":
    case "RATE_LIMITED":
    case "INTERNAL_SERVER_ERROR":
      return "resume";
    case "FORBIDDEN":
    case "BAD_USER_INPUT":
    case "NOT_FOUND":
    case "CONFLICT":
    case "PERSISTED_QUERY_NOT_FOUND":
    case "PERSISTED_QUERY_REQUIRED":
    case "ABORTED":
    case "UNKNOWN":
      return "fatal";
  }
}

function closeMessage(close: CloseLike): string {
  return `The subscription socket closed (${close.code}${close.reason ? `: ${close.reason}` : ""})`;
}
