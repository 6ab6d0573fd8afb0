/**
 * GraphQL over HTTP as the tests speak it: one POST, the status and the parsed body, and a
 * client bound to an endpoint and a bearer token (see as-gateway.ts and as-subgraph.ts).
 */
import { inject } from "vitest";

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export type Variables = Record<string, unknown>;

export interface PostOptions {
  /** Sent as `authorization: Bearer <token>` when present. */
  token?: string | null;
  /** Sent as x-request-id: the gateway adopts a well-formed one as the correlation id it logs and forwards. */
  requestId?: string;
  /** More headers, e.g. a client's W3C `traceparent`. */
  headers?: Readonly<Record<string, string>>;
}

/** POSTs one operation to `url`. */
export async function postGraphQL<TData>(
  url: string,
  query: string,
  variables: Variables = {},
  options: PostOptions = {},
): Promise<{ status: number; body: GraphQLResponse<TData> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.requestId ? { "x-request-id": options.requestId } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<TData> };
}

/** POSTs one operation to the real gateway (the stack's, unless `url` is given), as a client would. */
export function gql<TData = Record<string, unknown>>(
  query: string,
  variables: Variables = {},
  options: PostOptions & { url?: string } = {},
): Promise<{ status: number; body: GraphQLResponse<TData> }> {
  return postGraphQL<TData>(options.url ?? inject("gatewayUrl"), query, variables, options);
}

/** The error code of the first error, what most refusal assertions look at. */
export const codeOf = (body: GraphQLResponse<unknown>): unknown => body.errors?.[0]?.extensions?.code;

/** A GraphQL endpoint seen by one caller. */
export interface GraphQLClient {
  /** The bearer token this client sends (null: none). */
  token(): Promise<string | null>;
  /** The HTTP status and the body of one operation. */
  post<TData = Record<string, unknown>>(
    query: string,
    variables?: Variables,
    options?: { requestId?: string },
  ): Promise<{ status: number; body: GraphQLResponse<TData> }>;
  /** The body of one operation. */
  call<TData = Record<string, unknown>>(
    query: string,
    variables?: Variables,
    options?: { requestId?: string },
  ): Promise<GraphQLResponse<TData>>;
  /** The data of an operation that must succeed; throws with its errors otherwise. */
  ok<TData = Record<string, unknown>>(
    query: string,
    variables?: Variables,
    options?: { requestId?: string },
  ): Promise<TData>;
}

/** A client of `url` that asks `token()` for its bearer token before each operation. */
export function graphQLClient(url: string, token: () => Promise<string | null>): GraphQLClient {
  const post = async <TData>(query: string, variables: Variables = {}, options: { requestId?: string } = {}) =>
    postGraphQL<TData>(url, query, variables, { ...options, token: await token() });
  const call = async <TData>(query: string, variables: Variables = {}, options: { requestId?: string } = {}) =>
    (await post<TData>(query, variables, options)).body;
  return {
    token,
    post,
    call,
    async ok<TData>(query: string, variables: Variables = {}, options: { requestId?: string } = {}) {
      const body = await call<TData>(query, variables, options);
      if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
  };
}
