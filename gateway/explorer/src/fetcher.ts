import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { createClient, type Client } from "graphql-ws";

export interface Endpoint {
  /** Where queries and mutations are POSTed: the page's own URL (the gateway serves GraphiQL at its GraphQL path). */
  http: string;
  /** Where subscriptions go over graphql-ws: the same path, ws:// or wss://. */
  ws: string;
}

export function endpointFor(location: Pick<Location, "protocol" | "host" | "pathname">): Endpoint {
  const path = location.pathname || "/graphql";
  const secure = location.protocol === "https:";
  return {
    http: `${location.protocol}//${location.host}${path}`,
    ws: `${secure ? "wss" : "ws"}://${location.host}${path}`,
  };
}

/** The Authorization header from the headers editor (any letter case), or undefined. */
export function authorizationFrom(headers: unknown): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (name.toLowerCase() === "authorization" && typeof value === "string" && value.trim()) return value.trim();
  }
  return undefined;
}

/**
 * GraphiQL's fetcher: HTTP POST for queries and mutations, graphql-ws for subscriptions.
 *
 * HTTP requests carry the headers editor's headers as they are. A WebSocket has no headers,
 * so the Authorization header becomes `connectionParams: { authorization }`, which is what
 * the gateway reads. One lazy graphql-ws client per token: it connects on the first
 * subscription, closes when the last one ends, and is replaced when the token changes.
 */
export function createAskyFetcher(endpoint: Endpoint): Fetcher {
  let current: { authorization: string | undefined; client: Client; fetcher: Fetcher } | undefined;

  const fetcherFor = (authorization: string | undefined): Fetcher => {
    if (current && current.authorization === authorization) return current.fetcher;
    void current?.client.dispose();
    const client = createClient({
      url: endpoint.ws,
      lazy: true,
      // A gateway that refuses the upgrade should surface as an error quickly, not after a minute of retries.
      retryAttempts: 2,
      connectionParams: authorization ? { authorization } : {},
    });
    current = { authorization, client, fetcher: createGraphiQLFetcher({ url: endpoint.http, wsClient: client }) };
    return current.fetcher;
  };

  return (params, options) => fetcherFor(authorizationFrom(options?.headers))(params, options);
}
