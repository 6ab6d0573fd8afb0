/**
 * graphql-sse in distinct connections mode (POST /graphql/stream, one stream per
 * subscription), authenticated by the Authorization header. Its own retries are off, as for
 * graphql-ws: the resumable subscription above decides how to go on.
 */
import { createClient, type RequestParams } from "graphql-sse";
import type { OperationPayload } from "../operation-payload.js";
import type { SubscriptionTransport } from "./transport.js";

export interface SseTransportOptions {
  url: string;
  fetch?: unknown;
  currentToken: () => string | null;
}

export function sseTransport(options: SseTransportOptions): SubscriptionTransport {
  const open = new Set<() => void>();
  return {
    subscribe(payload, sink) {
      const token = options.currentToken();
      const client = createClient({
        url: options.url,
        singleConnection: false,
        retryAttempts: 0,
        ...(options.fetch ? { fetchFn: options.fetch } : {}),
        headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
      });
      const stop = client.subscribe(
        wirePayload(payload),
        {
          next: (result) => sink.next(result as Parameters<typeof sink.next>[0]),
          error: (error) => sink.error(error),
          complete: () => sink.complete(),
        },
        // Distinct connections mode: the response to this subscription's own POST was accepted.
        { connected: () => sink.connected?.(true) },
      );
      const dispose = () => {
        open.delete(dispose);
        stop();
        client.dispose();
      };
      open.add(dispose);
      return { dispose, token: () => token };
    },
    dispose() {
      for (const dispose of [...open]) dispose();
    },
  };
}

function wirePayload(payload: OperationPayload): RequestParams {
  // Persisted operations carry no text; JSON leaves the undefined `query` out.
  return { ...payload, query: payload.query as string } as RequestParams;
}
