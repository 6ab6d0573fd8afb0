import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";

export interface HttpRequest {
  method?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
  signal?: AbortSignal;
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
      const body = init.body === undefined ? undefined : typeof init.body === "string" ? Buffer.from(init.body) : init.body;
      const headers: Record<string, string | number> = { ...init.headers };
      if (body) headers["content-length"] = body.length;
      const request = (secure ? https : http).request(
        target,
        { method: init.method ?? "GET", headers, agent: secure ? httpsAgent : httpAgent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 502, statusText: response.statusMessage ?? "", headers: response.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
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
