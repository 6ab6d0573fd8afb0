/**
 * How SSE streams end on their own gateway: a client that stops reading is cut off at the
 * stream's byte budget (the WebSockets' WS_MAX_BUFFERED_BYTES) instead of growing the
 * gateway's memory; an idle stream gets comment pings; SIGTERM ends every stream without
 * `complete`, which graphql-sse's client reads as a network error, so clients reconnect (to
 * another replica) with `after`.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gatewayMetrics, gql } from "@asky/stack/testing";
import { type Fixture } from "./support/requests-api.js";
import { wardTeam } from "./support/ward-team.js";
import { startExtraGateway } from "./support/extra-gateway.js";
import { sseClient, sseSubscribe, streamUrl } from "./support/sse-client.js";
import { until } from "./support/ws-client.js";

const BUDGET = 64 * 1024;
/**
 * Each event's payload repeats the request's 1000-character note this many times (~28 kB):
 * the requests subgraph refuses more than 30 aliases in the gateway's fetch.
 */
const COPIES = 28;

let fixture: Fixture;
let nurse: string;
let pharmacist: string;

beforeAll(async () => {
  ({ fixture, nurse, pharmacist } = await wardTeam());
});

const metric = async (url: string, name: string) =>
  Number(new RegExp(`^${name} (-?\\d+)$`, "m").exec(await gatewayMetrics(url))?.[1] ?? NaN);

/** A raw stream over node:http, whose reading the test can pause. */
function rawStream(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const state = {
    text: "",
    bytes: 0,
    ended: false,
    endedWith: "",
    response: null as http.IncomingMessage | null,
  };
  const target = new URL(streamUrl(url));
  const body = JSON.stringify({ query, variables });
  const headers = { accept: "text/event-stream", "content-type": "application/json", authorization: `Bearer ${token}` };
  const responded = new Promise<void>((resolve, reject) => {
    const req = http.request(target, { method: "POST", headers, agent: false }, (res) => {
      state.response = res;
      res.on("data", (chunk: Buffer) => {
        state.bytes += chunk.length;
        state.text += chunk.toString("utf8");
      });
      const end = (how: string) => {
        if (state.ended) return;
        state.ended = true;
        state.endedWith = how;
      };
      res.on("end", () => end("end"));
      res.on("aborted", () => end("aborted"));
      res.on("error", () => end("error"));
      res.on("close", () => end("close"));
      resolve();
    });
    req.on("error", reject);
    req.end(body);
  });
  return Object.assign(state, { responded });
}

describe("a client that stops reading", () => {
  let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
  beforeAll(async () => {
    gateway = await startExtraGateway({
      WS_MAX_BUFFERED_BYTES: String(BUDGET),
      WS_PING_INTERVAL_SECONDS: "600",
    });
  }, 120_000);
  afterAll(() => gateway?.stop());

  it("is cut off at the byte budget: its stream ends without complete and the gateway lets go of it", async () => {
    const copies = Array.from({ length: COPIES }, (_, i) => `n${i}: note`).join(" ");
    const stream = rawStream(
      gateway.url,
      pharmacist,
      `subscription($d: ID) { requestEvents(dispenserId: $d) { cursor request { ${copies} } } }`,
      { d: fixture.dispenserId },
    );
    await stream.responded;
    expect(await metric(gateway.url, "asky_gateway_active_event_streams")).toBe(1);
    // The response, not only its socket: reading the response would resume the socket.
    stream.response!.pause();

    let events = 0;
    while ((await metric(gateway.url, "asky_gateway_active_event_streams")) > 0) {
      if (events >= 500) throw new Error(`the gateway never cut the client off after ${events} events`);
      const { body } = await gql<{ createRequest: { id: string } }>(
        `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`,
        {
          input: {
            kind: "MEDICATION",
            priority: "ROUTINE",
            dispenserId: fixture.dispenserId,
            items: [{ itemId: fixture.itemIds[0], quantity: 1 }],
            note: "x".repeat(1000),
          },
        },
        { token: nurse, url: gateway.url },
      );
      expect(body.errors).toBeUndefined();
      events += 1;
    }
    expect(await metric(gateway.url, "asky_gateway_active_subscriptions")).toBe(0);
    expect(stream.text).not.toContain("event: complete");

    stream.response!.resume();
    await until(() => stream.ended, 30_000, "the stream to end");
    // Cut, not completed: what the kernel held, then the end of the connection.
    expect(stream.text).not.toContain("event: complete");
    expect(stream.endedWith).not.toBe("end");
    expect(stream.text).toContain("event: next");
    expect(stream.text).not.toContain('"errors"');
    // It reads what the kernel's buffers held (about 4 MiB on loopback) and what the budget
    // had taken; the event that overflowed the budget, and every later one, never left.
    const delivered = stream.text.split("event: next").length - 1;
    expect(delivered).toBeLessThan(events);
    expect((await fetch(new URL("/health", gateway.url))).status).toBe(200);
  }, 180_000);
});

describe("keep-alive and shutdown", () => {
  let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
  beforeAll(async () => {
    gateway = await startExtraGateway({ WS_PING_INTERVAL_SECONDS: "1" });
  }, 120_000);
  afterAll(() => gateway?.stop());

  it("pings an idle stream with comments, and ends every stream without complete on SIGTERM", async () => {
    const raw = rawStream(gateway.url, nurse, `subscription { requestEvents { type } }`);
    await raw.responded;
    const client = sseClient(gateway.url, pharmacist);
    const received = sseSubscribe(client, `subscription { requestEvents { type } }`);
    await until(() => received.connected, 15_000, "the client's stream");
    // The first comment leaves with the headers; two more are pings.
    await until(() => raw.text.split(":\n\n").length > 3, 15_000, "pings");
    expect(raw.text).not.toContain("event:");

    gateway.process.kill("SIGTERM");
    await until(() => raw.ended && received.failure !== null, 20_000, "the streams to end");
    expect(raw.text).toMatch(/: gateway shutting down[^\n]*\n\n$/);
    expect(raw.text).not.toContain("event: complete");
    // graphql-sse's client: a network error (it would retry), not a completion.
    expect(received.completed).toBe(false);
    expect((received.failure as Error).name).toBe("NetworkError");
    await eventually(async () => gateway.process.exitCode !== null, 20_000, "the gateway to exit");
    expect(gateway.process.exitCode).toBe(0);
    client.dispose();
  }, 60_000);
});
