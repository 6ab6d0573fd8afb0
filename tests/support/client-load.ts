/**
 * Steady client traffic for fault tests, recording every answer with its timing: a stream of
 * createRequest mutations that retries each failed one with the same idempotencyKey (what a
 * well-behaved client does), and a probe that asks several subgraphs in one operation.
 */
import { randomUUID } from "node:crypto";
import type { GraphQLResponse } from "./graphql.js";

export interface Attempt<TData> {
  startedAt: number;
  endedAt: number;
  /** Present when the gateway answered (HTTP), even with errors. */
  body?: GraphQLResponse<TData>;
  /** The request never got an HTTP answer (gateway down, connection reset). */
  transportError?: string;
}

export interface Load<TData> {
  readonly attempts: readonly Attempt<TData>[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One POST with a client-side cap, so that a hang shows as a slow attempt rather than a stuck test. */
async function post<TData>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Attempt<TData>> {
  const startedAt = Date.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as GraphQLResponse<TData>;
    return { startedAt, endedAt: Date.now(), body };
  } catch (error) {
    return { startedAt, endedAt: Date.now(), transportError: (error as Error).message };
  }
}

/** Calls `query` every `intervalMs` (one at a time) until stopped. */
export function probe<TData>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  intervalMs: number,
): Load<TData> {
  const attempts: Attempt<TData>[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      attempts.push(await post<TData>(url, token, query, variables));
      await sleep(intervalMs);
    }
  })();
  return {
    attempts,
    async stop() {
      running = false;
      await loop;
    },
  };
}

export interface CreateStream extends Load<{ createRequest: { id: string } }> {
  /** idempotencyKey → the request id the client was given for it. */
  readonly acknowledged: ReadonlyMap<string, string>;
}

/**
 * createRequest one after another, at most one per `intervalMs`, each with a new
 * idempotencyKey once the previous one was acknowledged. `stop()` lets the key in flight be
 * acknowledged first, so every key the stream used ends up acknowledged.
 */
export function createStream(
  url: string,
  token: string,
  input: Record<string, unknown>,
  intervalMs: number,
): CreateStream {
  const query = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
  const attempts: Attempt<{ createRequest: { id: string } }>[] = [];
  const acknowledged = new Map<string, string>();
  let running = true;
  const loop = (async () => {
    let key = `heal-${randomUUID()}`;
    for (;;) {
      const attempt = await post<{ createRequest: { id: string } }>(url, token, query, {
        input: { ...input, idempotencyKey: key },
      });
      attempts.push(attempt);
      const id = attempt.body?.data?.createRequest?.id;
      if (id) {
        acknowledged.set(key, id);
        if (!running) return;
        key = `heal-${randomUUID()}`;
      }
      await sleep(intervalMs);
    }
  })();
  return {
    attempts,
    acknowledged,
    async stop() {
      running = false;
      await loop;
    },
  };
}
