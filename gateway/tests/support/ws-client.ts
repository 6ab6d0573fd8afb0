import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface Received<T> {
  results: T[];
  /** When each result arrived (epoch ms), for measuring delivery delays. */
  arrivedAt: number[];
  errors: unknown[];
  closed: { code: number; reason: string } | null;
  completed: boolean;
}

/** A graphql-ws client against the real gateway, recording everything it receives. */
export function wsClient(
  gatewayUrl: string,
  token: string | null,
  onClosed?: (event: { code: number; reason: string }) => void,
): Client {
  return createClient({
    url: gatewayUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    // Closes are expected here and recorded through `on.closed`; don't print them.
    onNonLazyError: () => undefined,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      closed: (event) => onClosed?.(event as { code: number; reason: string }),
    },
  });
}

export function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Received<T> & { stop(): void } {
  const received: Received<T> = { results: [], arrivedAt: [], errors: [], closed: null, completed: false };
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) received.errors.push(...value.errors);
        if (value.data) {
          received.results.push(value.data as T);
          received.arrivedAt.push(Date.now());
        }
      },
      error: (error) => {
        const closeEvent = error as { code?: number; reason?: string };
        if (typeof closeEvent.code === "number")
          received.closed = { code: closeEvent.code, reason: closeEvent.reason ?? "" };
        else received.errors.push(error);
      },
      complete: () => {
        received.completed = true;
      },
    },
  );
  return Object.assign(received, { stop });
}

export async function until(condition: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
