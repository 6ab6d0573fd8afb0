/**
 * graphql-ws, one socket shared by the client's subscriptions. The socket's own retries are
 * off: a close ends every subscription on it with the close event, and each resumes itself
 * (with `after`, after a refresh on 4401); graphql-ws then opens one new socket for them.
 */
import { createClient, type Client, type SubscribePayload } from "graphql-ws";
import type { OperationPayload } from "../operation-payload.js";
import type { SubscriptionTransport } from "./transport.js";

export interface WsTransportOptions {
  url: string;
  /** A WebSocket class; the platform's global one when absent. */
  webSocketImpl?: unknown;
  /** The access token to open a socket with (read when the socket opens). */
  currentToken: () => string | null;
  keepAliveMs?: number;
}

export function wsTransport(options: WsTransportOptions): SubscriptionTransport {
  let connectionToken: string | null = null;
  let client: Client | null = null;
  const clientOf = (): Client =>
    (client ??= createClient({
      url: options.url,
      ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
      lazy: true,
      retryAttempts: 0,
      keepAlive: options.keepAliveMs ?? 20_000,
      connectionParams: () => {
        connectionToken = options.currentToken();
        return connectionToken ? { authorization: `Bearer ${connectionToken}` } : {};
      },
    }));
  return {
    subscribe(payload, sink) {
      const dispose = clientOf().subscribe(wirePayload(payload), {
        next: (result) => sink.next(result as Parameters<typeof sink.next>[0]),
        error: (error) => sink.error(error),
        complete: () => sink.complete(),
      });
      return { dispose, token: () => connectionToken };
    },
    dispose() {
      void client?.dispose();
      client = null;
    },
  };
}

/**
 * graphql-ws refuses a subscribe without a string `query`, on either side: a persisted
 * operation, which has only its hash, goes with "" (which the gateway reads as no text).
 */
function wirePayload(payload: OperationPayload): SubscribePayload {
  return { ...payload, query: payload.query ?? "" };
}
