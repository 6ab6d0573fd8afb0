import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubgraphFetcher } from "../../src/subgraph-fetcher.js";

/**
 * A subgraph that drops a kept-alive connection when a second request arrives on it: the
 * same thing a server closing an idle socket does when the gateway reuses it at that moment.
 */
let server: http.Server;
let url: string;
let received = 0;
const requestsOnSocket = new WeakMap<object, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received += 1;
    const count = (requestsOnSocket.get(req.socket) ?? 0) + 1;
    requestsOnSocket.set(req.socket, count);
    if (count === 2) {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on("end", () => res.end(JSON.stringify({ data: { ok: true } })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("subgraph fetcher", () => {
  it("sends a request again, once, when the reused keep-alive socket was closed under it", async () => {
    const fetcher = createSubgraphFetcher();
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };
    expect((await fetcher(url, init)).status).toBe(200);
    const second = await fetcher(url, init);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ data: { ok: true } });
    expect(received).toBe(3);
  });

  it("times each call it sends, and says whether it was answered in 2xx", async () => {
    const settled: { seconds: number; ok: boolean }[] = [];
    const fetcher = createSubgraphFetcher({ onSettled: (seconds, ok) => settled.push({ seconds, ok }) });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };
    expect((await fetcher(url, init)).status).toBe(200);
    // Nothing listens on port 9 (discard) on loopback: the call fails without an answer.
    await expect(fetcher("http://127.0.0.1:9/graphql", init)).rejects.toThrow();
    expect(settled.map((call) => call.ok)).toEqual([true, false]);
    for (const call of settled) {
      expect(call.seconds).toBeGreaterThan(0);
      expect(call.seconds).toBeLessThan(5);
    }
  });
});
