import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { currentTraceHeaders } from "@asky/telemetry";

export interface HttpRequest {
  method?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Gives up on the call this long after it was sent (connecting included): HttpTimeoutError. */
  timeoutMs?: number;
}

/** The server accepted the call (or the connection) but did not answer within `timeoutMs`. */
export class HttpTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = "HttpTimeoutError";
  }
}

/** A response read whole: service-to-service answers here are small JSON documents. */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpClient {
  request(url: string, init?: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/**
 * How Asky's services call each other (the gateway its subgraphs, the requests service the
 * dispensers service): node:http on keep-alive agents, the body read whole. fetch() in Node
 * 20 (undici and web streams) cost about as much CPU per call as the small queries it carried,
 * and make-fetch-happen (Apollo's default) more.
 */
export function createHttpClient(options: { maxSockets?: number } = {}): HttpClient {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 128, scheduling: "lifo" as const };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const send = (url: string, init: HttpRequest, retried: boolean): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const body =
        init.body === undefined ? undefined : typeof init.body === "string" ? Buffer.from(init.body) : init.body;
      // The call continues the caller's trace (a no-op with tracing off), unless it names one itself.
      const headers: Record<string, string | number> = { ...currentTraceHeaders(), ...init.headers };
      if (body) headers["content-length"] = body.length;
      const request = (secure ? https : http).request(
        target,
        { method: init.method ?? "GET", headers, agent: secure ? httpsAgent : httpAgent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 502,
              statusText: response.statusMessage ?? "",
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      // One timer per call rather than AbortSignal.timeout(): no signal object, and it is
      // cleared as soon as the answer is in instead of lingering for the whole timeout.
      const timeoutMs = init.timeoutMs;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const error = new HttpTimeoutError(timeoutMs);
              request.destroy(error);
              // Also when the answer had begun: its stream may end without an error event.
              reject(error);
            }, timeoutMs);
      request.once("close", () => clearTimeout(timer));
      request.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // A kept-alive socket the server closed while idle fails the next request sent on
        // it before the server read a byte of it: sending it again is safe, once.
        if (!retried && request.reusedSocket && error.code === "ECONNRESET") resolve(send(url, init, true));
        else reject(error);
      });
      const signal = init.signal;
      if (signal?.aborted) request.destroy(new Error("aborted"));
      else signal?.addEventListener("abort", () => request.destroy(new Error("aborted")), { once: true });
      request.end(body);
    });

  return {
    request: (url, init = {}) => send(url, init, false),
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
