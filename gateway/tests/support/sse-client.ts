import { createClient, type Client } from "graphql-sse";

/** Where the gateway serves subscriptions over Server-Sent Events. */
export function streamUrl(gatewayUrl: string): string {
  return new URL("/graphql/stream", gatewayUrl).toString();
}

export interface StreamReceived<T> {
  results: T[];
  /** GraphQL errors received in `next` events. */
  errors: { message: string; extensions?: Record<string, unknown> }[];
  /** What the client failed with: a network error (the stream ended without `complete`). */
  failure: unknown;
  completed: boolean;
  /** The gateway answered: the subscription is in place (or refused, see `errors`). */
  connected: boolean;
}

/** graphql-sse's own client (distinct connections mode) with the access token in the header. */
export function sseClient(gatewayUrl: string, token: string | null): Client {
  return createClient({
    url: streamUrl(gatewayUrl),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    // A test sees each end as it is; the SDK decides about reconnecting.
    retryAttempts: 0,
  });
}

export function sseSubscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): StreamReceived<T> & { stop(): void } {
  const received: StreamReceived<T> = { results: [], errors: [], failure: null, completed: false, connected: false };
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) received.errors.push(...(value.errors as readonly StreamReceived<T>["errors"][number][]));
        if (value.data) received.results.push(value.data as T);
      },
      error: (error) => {
        received.failure = error ?? "error";
      },
      complete: () => {
        received.completed = true;
      },
    },
    {
      connected: () => {
        received.connected = true;
      },
    },
  );
  return Object.assign(received, { stop });
}

export interface StreamEvent {
  event: string;
  data: string;
}

/** The events of an event-stream text, comments left out. */
export function parseEventStream(text: string): StreamEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.split("\n").some((line) => line.startsWith("event:")))
    .map((block) => {
      const lines = block.split("\n");
      const field = (name: string) =>
        lines
          .filter((line) => line.startsWith(`${name}:`))
          .map((line) => line.slice(name.length + 1).replace(/^ /, ""))
          .join("\n");
      return { event: field("event"), data: field("data") };
    });
}

/** extensions.code and .reason of the errors in a stream's `next` events. */
export function streamErrors(events: StreamEvent[]): { code: unknown; reason: unknown }[] {
  return events
    .filter((event) => event.event === "next")
    .flatMap(
      (event) => (JSON.parse(event.data) as { errors?: { extensions?: Record<string, unknown> }[] }).errors ?? [],
    )
    .map((error) => ({ code: error.extensions?.code, reason: error.extensions?.reason }));
}
