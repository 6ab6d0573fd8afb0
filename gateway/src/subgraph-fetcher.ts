import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { createHttpClient, type HttpResponse } from "@asky/runtime";
import { SubgraphUnreachableError } from "./subgraph-unavailable.js";

type Fetcher = RemoteGraphQLDataSource["fetcher"];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** A fully read subgraph response in the shape Apollo's data sources expect of fetch(). */
function bufferedResponse(
  url: string,
  status: number,
  statusText: string,
  headers: Headers,
  body: Buffer,
): FetcherResponse {
  let used = false;
  const take = () => {
    if (used) throw new TypeError("body already used");
    used = true;
    return body;
  };
  return {
    get bodyUsed() {
      return used;
    },
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText,
    headers,
    text: async () => take().toString("utf8"),
    json: async () => JSON.parse(take().toString("utf8")) as unknown,
    arrayBuffer: async () => {
      const bytes = take();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
    clone: () => bufferedResponse(url, status, statusText, new Headers(headers), body),
  };
}

/**
 * Request header by which the data source marks a call as a read that may share an identical
 * call already in flight; the fetcher removes it before sending.
 */
export const SHAREABLE_HEADER = "x-asky-shareable";

export interface SubgraphFetcherOptions {
  maxSockets?: number;
  /**
   * Per call, connecting included. Without it a stalled subgraph (SIGSTOPped, its host gone
   * from the network) holds the client's request, and a socket, for as long as TCP does.
   */
  timeoutMs?: number;
  /** Called for every HTTP call actually sent. */
  onSent?: () => void;
  /** Called when a call was answered by an identical one already in flight (not sent). */
  onShared?: () => void;
  /**
   * Called when a call sent has ended: with how long it took, and whether it was answered
   * in 2xx (false for any other status and for no answer at all).
   */
  onSettled?: (seconds: number, ok: boolean) => void;
}

/**
 * The gateway's HTTP client for subgraph calls (the shared node:http client, see
 * createHttpClient). @apollo/gateway's default (make-fetch-happen: HTTP cache, retry and
 * agent layers, and a stack trace per request in agent-base) and Node 20's fetch (web
 * streams) both cost more CPU per call than this; a ward board makes four such calls.
 *
 * Calls marked shareable (reads, see SubgraphDataSource) are de-duplicated while in flight:
 * an identical call (same URL, same body, same Authorization, i.e. the same internal token:
 * same person, session and address) made before the first one is answered waits for that
 * answer instead of asking the subgraph again. Twenty screens of one ward refreshing the same
 * board at once cost the subgraphs one board. Nothing is kept once the answer is in.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions = {}): Fetcher {
  const client = createHttpClient(options.maxSockets ? { maxSockets: options.maxSockets } : {});
  const inFlight = new Map<string, Promise<FetcherResponse>>();

  const fetcher = (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
    if (!init.headers?.[SHAREABLE_HEADER]) return send(url, init);
    const { [SHAREABLE_HEADER]: _marker, ...headers } = init.headers;
    const request = { ...init, headers };
    const key = `${url}\n${headers.authorization ?? ""}\n${typeof init.body === "string" ? init.body : (init.body?.toString("utf8") ?? "")}`;
    const pending = inFlight.get(key);
    if (pending) {
      options.onShared?.();
      return pending.then((response) => response.clone());
    }
    const sent = send(url, request).finally(() => inFlight.delete(key));
    inFlight.set(key, sent);
    // The first caller gets a copy too: every caller reads its own body.
    return sent.then((response) => response.clone());
  };

  const send = async (url: string, init: FetcherRequestInit): Promise<FetcherResponse> => {
    options.onSent?.();
    const started = performance.now();
    const settled = (ok: boolean) => options.onSettled?.((performance.now() - started) / 1_000, ok);
    let response: HttpResponse;
    try {
      response = await client.request(url, {
        ...(init.method ? { method: init.method } : {}),
        ...(init.headers ? { headers: init.headers } : {}),
        ...(init.body !== undefined ? { body: init.body } : {}),
        ...(init.signal ? { signal: init.signal as AbortSignal } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    } catch (error) {
      settled(false);
      // Every failure here is the transport's: nothing came back that could be an answer.
      throw new SubgraphUnreachableError(error);
    }
    settled(response.status >= 200 && response.status < 300);
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    return bufferedResponse(url, response.status, response.statusText, headers, response.body);
  };

  return fetcher;
}
