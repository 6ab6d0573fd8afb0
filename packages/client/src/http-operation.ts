/**
 * One POST of one operation. Throws TransientFailure when the request may not have been
 * answered (fetch rejected, 502/503/504, the body cut off), AskyClientError for any GraphQL
 * answer that is not plain data.
 */
import { AskyClientError, errorFromGraphQL, type GraphQLErrorLike } from "./errors.js";
import type { OperationPayload } from "./operation-payload.js";
import { abortError, TransientFailure, transientStatuses } from "./retry.js";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorLike[];
}

const statusCodes: Readonly<Record<number, AskyClientError["code"]>> = {
  400: "BAD_USER_INPUT",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  429: "RATE_LIMITED",
  500: "INTERNAL_SERVER_ERROR",
};

export async function postOperation(
  fetchImpl: FetchLike,
  url: string,
  payload: OperationPayload,
  accessToken: string | null,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      body: JSON.stringify(payload),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw new TransientFailure(`The request failed: ${describe(error)}`, null, { cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw new TransientFailure(`The response was cut off: ${describe(error)}`, response.status, { cause: error });
  }
  if (transientStatuses.has(response.status)) {
    throw new TransientFailure(`The server answered ${response.status}`, response.status);
  }
  let body: GraphQLBody;
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    const code = statusCodes[response.status] ?? "UNKNOWN";
    throw new AskyClientError(code, `The server answered ${response.status} without a GraphQL body`, {
      status: response.status,
    });
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) throw errorFromGraphQL(body.errors, response.status);
  if (!response.ok || typeof body.data !== "object" || body.data === null) {
    const code = statusCodes[response.status] ?? "UNKNOWN";
    throw new AskyClientError(code, `The server answered ${response.status} without data`, { status: response.status });
  }
  return body.data;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}
