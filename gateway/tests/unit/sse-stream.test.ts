/**
 * One SSE stream (sse/sse-stream.ts) on a real HTTP server over loopback, read by graphql-sse's
 * own client: payloads arrive as they were serialized (line breaks and all), an end with
 * errors is a `next` then `complete`, shutting down is a network error to the client, and the
 * stream's byte budget refuses what a client that stopped reading would otherwise pile up.
 */
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { GraphQLError, type ExecutionResult } from "graphql";
import { createClient } from "graphql-sse";
import { afterEach, describe, expect, it } from "vitest";
import { serializePayload } from "../../src/subscriptions/next-frame.js";
import { SseStream } from "../../src/subscriptions/sse/sse-stream.js";

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server whose every request becomes an SseStream handed to `serve`. */
async function serverFor(serve: (stream: SseStream) => void, budget = 1 << 20): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => serve(new SseStream(res, budget)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql/stream`;
}

interface Seen {
  results: ExecutionResult[];
  completed: boolean;
  failure: unknown;
}

function subscribeTo(url: string): Seen {
  const seen: Seen = { results: [], completed: false, failure: null };
  const client = createClient({ url, retryAttempts: 0 });
  closers.push(async () => client.dispose());
  client.subscribe(
    { query: "subscription { requestEvents { type } }" },
    {
      next: (result) => void seen.results.push(result as ExecutionResult),
      complete: () => void (seen.completed = true),
      error: (error) => void (seen.failure = error),
    },
  );
  return seen;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe("SseStream", () => {
  it("delivers payloads as graphql-sse next events, whatever their text holds", async () => {
    const payloads = [
      { data: { requestEvents: { note: "linha 1\nlinha 2\r\nfim", status: "ACCEPTED" } } },
      { data: { requestEvents: { note: 'aspas "e" dois-pontos: ção — \u2028 ✓', status: "PREPARING" } } },
    ];
    const url = await serverFor((stream) => {
      stream.start();
      for (const payload of payloads) stream.sink().send(serializePayload(payload));
    });
    const seen = subscribeTo(url);
    await until(() => seen.results.length === 2);
    expect(seen.results).toEqual(payloads);
    expect(seen.completed).toBe(false);
  });

  it("ends with the errors as a next event, then complete, whether or not it had started", async () => {
    const error = new GraphQLError("Access token expired", {
      extensions: { code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" },
    });
    for (const started of [true, false]) {
      const url = await serverFor((stream) => {
        if (started) stream.start();
        stream.endWith([error]);
      });
      const seen = subscribeTo(url);
      await until(() => seen.completed || seen.failure !== null);
      expect(seen.failure).toBeNull();
      expect(seen.results).toEqual([
        {
          errors: [
            { message: "Access token expired", extensions: { code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" } },
          ],
        },
      ]);
    }
  });

  it("goes away without complete, which the client reads as a network error", async () => {
    const url = await serverFor((stream) => {
      stream.start();
      stream.sink().send(serializePayload({ data: { requestEvents: { status: "ACCEPTED" } } }));
      setTimeout(() => stream.goAway(), 50);
    });
    const seen = subscribeTo(url);
    await until(() => seen.failure !== null);
    expect(seen.results).toHaveLength(1);
    expect(seen.completed).toBe(false);
    expect((seen.failure as Error).name).toBe("NetworkError");
  });

  it("refuses to queue past its byte budget once the client stops reading", async () => {
    let refusedAfter = -1;
    const budget = 256 * 1024;
    const payload = serializePayload({ data: { requestEvents: { note: "x".repeat(16 * 1024) } } });
    const done = new Promise<void>((resolve) => {
      void serverFor((stream) => {
        stream.start();
        // All in one turn, as a fan-out writes: nothing leaves meanwhile, so what is held is
        // what was accepted.
        for (let sent = 0; sent < 10_000; sent++) {
          if (!stream.sink().send(payload)) {
            refusedAfter = sent;
            stream.cutOff();
            break;
          }
        }
        resolve();
      }, budget).then((url) => {
        const req = http.request(url, {
          method: "POST",
          headers: { accept: "text/event-stream", "content-type": "application/json" },
        });
        req.on("response", (res) => res.pause());
        req.on("error", () => undefined);
        req.end("{}");
      });
    });
    await done;
    // Refused once the budget was held, not later: the gateway held at most the budget
    // (counting what the response itself buffers) plus the frame that did not fit.
    const frameBytes = Buffer.byteLength(`event: next\ndata: ${payload}\n\n`);
    expect(refusedAfter).toBeGreaterThan(0);
    expect(refusedAfter * frameBytes).toBeLessThanOrEqual(budget + frameBytes);
  });
});
