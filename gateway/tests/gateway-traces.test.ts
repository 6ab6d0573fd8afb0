/**
 * The gateway's own spans, exported over OTLP to a receiver of the test's: a client's query
 * continues the client's trace through query planning to each subgraph call, whose W3C
 * context reaches the subgraph; a live event's fan-out is a CONSUMER span under which the
 * payload query runs. A gateway of its own (the stack's does not trace), whose requests
 * subgraph is reached through a proxy that records the headers it is sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, startOtlpReceiver, testStack, type OtlpReceiver } from "@asky/stack/testing";
import { startExtraGateway, type ExtraGateway } from "./support/extra-gateway.js";
import { acceptWhileSubscribed, wardTeam, type WardTeam } from "./support/ward-team.js";

const stack = testStack();

/** Forwards to the requests subgraph, keeping the `traceparent` of every GraphQL call. */
function recordingProxy(target: string) {
  const traceparents: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === "/graphql" && typeof req.headers.traceparent === "string")
      traceparents.push(req.headers.traceparent);
    const upstream = http.request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return { server, traceparents };
}

let receiver: OtlpReceiver;
let proxy: ReturnType<typeof recordingProxy>;
let gateway: ExtraGateway;
let team: WardTeam;

beforeAll(async () => {
  team = await wardTeam();
  receiver = await startOtlpReceiver();
  proxy = recordingProxy(stack.subgraphUrls.requests);
  await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.server.address() as AddressInfo;
  gateway = await startExtraGateway({
    ...receiver.exporterEnv({ protocol: "http/json" }),
    REQUESTS_URL: `http://127.0.0.1:${port}/graphql`,
  });
}, 120_000);

afterAll(async () => {
  gateway?.stop();
  await new Promise<void>((resolve) => (proxy ? proxy.server.close(() => resolve()) : resolve()));
  await receiver?.close();
});

const randomHex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");

describe("gateway traces", () => {
  it("continue the client's trace through planning to each subgraph call, and into the subgraph", async () => {
    const traceId = randomHex(16);
    const clientSpan = randomHex(8);
    const { status } = await gql(
      `query Board { requests(first: 3) { edges { node { id requester { fullName } dispenser { name } } } } }`,
      {},
      { url: gateway.url, token: team.pharmacist, headers: { traceparent: `00-${traceId}-${clientSpan}-01` } },
    );
    expect(status).toBe(200);

    const server = await receiver.waitForSpan(
      (span) => span.traceId === traceId && span.kind === "SERVER" && span.service === "asky-gateway",
      { what: "the gateway's server span", traceId },
    );
    expect(server.parentSpanId).toBe(clientSpan);
    const fetches = await receiver.waitForSpans((span) => span.traceId === traceId && span.name === "gateway.fetch", {
      what: "a gateway.fetch span per subgraph",
      traceId,
      count: 3,
    });
    // @apollo/gateway's own spans, under the request's server span.
    const request = await receiver.waitForSpan((span) => span.traceId === traceId && span.name === "gateway.request", {
      what: "gateway.request",
      traceId,
    });
    expect(request.parentSpanId).toBe(server.spanId);
    for (const name of ["gateway.plan", "gateway.execute"]) {
      await receiver.waitForSpan((span) => span.traceId === traceId && span.name === name, { what: name, traceId });
    }
    const toRequests = fetches.find((span) => span.attributes.service === "requests");
    expect(toRequests).toBeDefined();
    // The requests subgraph was told to continue this trace, under the gateway's fetch span.
    expect(proxy.traceparents).toContain(`00-${traceId}-${toRequests!.spanId}-01`);
    // Names and ids only: never the document or a variable's value.
    for (const span of receiver.trace(traceId)) expect(Object.keys(span.attributes)).not.toContain("graphql.document");
  });

  it("trace a live event's fan-out as a CONSUMER span under which its payload query runs", async () => {
    await acceptWhileSubscribed(gateway.url, team);

    const process = await receiver.waitForSpan(
      (span) =>
        span.service === "asky-gateway" &&
        span.kind === "CONSUMER" &&
        span.name === "process asky.requests.status_changed",
      { what: "the fan-out's process span" },
    );
    expect(process.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.operation.type": "process",
      "messaging.destination.name": "asky.requests.status_changed",
    });
    expect(process.attributes["messaging.message.id"]).toMatch(/^[0-9a-f-]{36}$/);
    // The payload query ran inside it: its query plan and subgraph calls belong to the event's trace.
    await receiver.waitForSpan(
      (span) =>
        span.traceId === process.traceId && span.name === "gateway.request" && span.parentSpanId === process.spanId,
      { what: "the payload query under the process span", traceId: process.traceId },
    );
    const fetch = await receiver.waitForSpan(
      (span) =>
        span.traceId === process.traceId && span.name === "gateway.fetch" && span.attributes.service === "requests",
      { what: "the payload query's call to the requests subgraph", traceId: process.traceId },
    );
    expect(proxy.traceparents).toContain(`00-${process.traceId}-${fetch.spanId}-01`);
  });
});
