import { inject } from "vitest";

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs one operation to the real gateway over HTTP, as a client would. */
export async function gql<TData = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; url?: string; requestId?: string } = {},
): Promise<{ status: number; body: GraphQLResponse<TData> }> {
  const response = await fetch(options.url ?? inject("gatewayUrl"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      // The gateway adopts a well-formed id as the correlation id it logs and forwards.
      ...(options.requestId ? { "x-request-id": options.requestId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<TData> };
}
