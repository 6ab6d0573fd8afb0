/**
 * The liveness route as every service serves it: through the HTTP host all four share, in
 * front of an Apollo Server whose context and admission fail, as they would with every
 * dependency of a service down or every client over its rate limit.
 */
import { ApolloServer } from "@apollo/server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpHost, type RunningHttpServer } from "../../src/http-server.js";
import { LIVENESS_PATH, LIVENESS_WINDOW_MS } from "../../src/probe-routes.js";
import { rateLimited } from "../../src/refusal.js";

const maxEventLoopDelayMs = 300;
let host: RunningHttpServer;
let contexts = 0;
let admissions = 0;

beforeAll(async () => {
  host = await startHttpHost({
    apollo: new ApolloServer({ typeDefs: "type Query { ok: Boolean }", resolvers: { Query: { ok: () => true } } }),
    context: () => {
      contexts += 1;
      return Promise.reject(new Error("the database is down"));
    },
    logger: pino({ level: "silent" }),
    port: 0,
    host: "127.0.0.1",
    admission: {
      beforeBody: () => {
        admissions += 1;
        throw rateLimited(60, "ADDRESS_RATE_LIMIT");
      },
      check: () => undefined,
    },
    // A service's own route at the same path does not replace the shared one.
    routes: { [LIVENESS_PATH]: (_req, res) => void res.writeHead(500).end() },
    liveness: { maxEventLoopDelayMs },
  });
});
afterAll(() => host?.close());

const livez = () => fetch(new URL(LIVENESS_PATH, host.url));

describe(`GET ${LIVENESS_PATH}`, () => {
  it("answers 200 alive from the process alone: no context, no admission, no cache", async () => {
    const graphql = await fetch(host.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ ok }" }),
    });
    expect(graphql.status).toBe(429);
    expect(admissions).toBe(1);

    for (let probe = 0; probe < 20; probe += 1) {
      const response = await livez();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toEqual({ status: "alive" });
    }
    expect(admissions).toBe(1);
    expect(contexts).toBe(0);
  });

  it("answers 503 stalled after the event loop was blocked longer than the bound", async () => {
    const end = performance.now() + maxEventLoopDelayMs * 3;
    let spins = 0;
    while (performance.now() < end) spins += 1;
    expect(spins).toBeGreaterThan(0);

    const stalled = await livez();
    expect(stalled.status).toBe(503);
    const body = (await stalled.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "stalled", maxEventLoopDelayMs, windowMs: LIVENESS_WINDOW_MS });
    expect(body.eventLoopBlockedMs).toBeGreaterThan(maxEventLoopDelayMs);
    // That it recovers once the window has passed is event-loop-watch.test.ts's.
  });
});
