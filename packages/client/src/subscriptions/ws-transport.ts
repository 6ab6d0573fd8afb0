/**
 * graphql-ws, one socket shared by the client's subscriptions. The socket's own retries are
 * off: a close ends every subscription on it with the close event, and each resumes itself
 * (with `after`, after a refresh on 4401); graphql-ws then opens one new socket for them.
 */
import { createClient, type Client, type SubscribePayload } from "graphql-ws";
import type { OperationPayload } from "../operation-payload.js";
import type { SubscriptionTransport, TransportSink } from "./transport.js";

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
  // The socket is acknowledged; subscriptions added meanwhile are on a live connection.
  let acknowledged = false;
  const waiting = new Set<TransportSink>();
  const clientOf = (): Client =>
    (client ??= createClient({
      url: options.url,
      ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
      lazy: true,
      retryAttempts: 0,
      keepAlive: options.keepAliveMs ?? 20_000,
      on: {
        connected: () => {
          acknowledged = true;
          const told = [...waiting];
          waiting.clear();
          for (const sink of told) sink.connected?.(false);
        },
        closed: () => void (acknowledged = false),
      },
      connectionParams: () => {
        connectionToken = options.currentToken();
        return connectionToken ? { authorization: `Bearer ${connectionToken}` } : {};
      },
    }));
  return {
    subscribe(payload, sink) {
      const current = clientOf();
      // Told once, when the socket it goes over is acknowledged (now, or when it opens).
      const ended = () => void waiting.delete(sink);
      if (acknowledged) queueMicrotask(() => sink.connected?.(false));
      else waiting.add(sink);
      const stop = current.subscribe(wirePayload(payload), {
        next: (result) => sink.next(result as Parameters<typeof sink.next>[0]),
        error: (error) => {
          ended();
          sink.error(error);
        },
        complete: () => {
          ended();
          sink.complete();
        },
      });
      const dispose = () => {
        ended();
        stop();
      };
      return { dispose, token: () => connectionToken };
    },
    dispose() {
      void client?.dispose();
      client = null;
      acknowledged = false;
      waiting.clear();
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
