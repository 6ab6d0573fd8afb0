/**
 * A subgraph that is down or stalled costs the client only the fields it owns, and quickly:
 * a refused connection fails at once, a stalled one after SUBGRAPH_TIMEOUT_MS, both with
 * INTERNAL_SERVER_ERROR, reason SUBGRAPH_UNAVAILABLE and a correlation id, while the other
 * subgraphs' fields of the same operation still resolve.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispenserId, userId } from "@asky/db/seed/ids";
import { demoToken, gql, testStack } from "@asky/stack/testing";
import { startExtraGateway } from "./support/extra-gateway.js";
import { startFaultProxy, type FaultMode, type FaultProxy } from "./support/fault-proxy.js";

const timeoutMs = 2_500;
const cabinet = dispenserId("PYX-UTI-01");
const nurseId = userId("nurse@asky.dev");
// One field from users, one from dispensers: two fetches the query planner runs side by side.
const query = `query($id: ID!) { me { id } dispenser(id: $id) { id } }`;

let proxy: FaultProxy;
let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
let token: string;

beforeAll(async () => {
  proxy = await startFaultProxy(testStack().subgraphUrls.dispensers);
  gateway = await startExtraGateway({ DISPENSERS_URL: proxy.url, SUBGRAPH_TIMEOUT_MS: String(timeoutMs) });
  token = await demoToken("nurse@asky.dev");
});
afterAll(async () => {
  gateway?.stop();
  await proxy?.close();
});

async function askWith(mode: FaultMode) {
  await proxy.setMode(mode);
  const requestId = `unavailable-${randomUUID()}`;
  const started = performance.now();
  const { status, body } = await gql<{ me: { id: string } | null; dispenser: { id: string } | null }>(
    query,
    { id: cabinet },
    { token, url: gateway.url, requestId },
  );
  return { status, body, requestId, ms: performance.now() - started };
}

function expectUnavailable(answer: Awaited<ReturnType<typeof askWith>>): void {
  expect(answer.status).toBe(200);
  expect(answer.body.data).toEqual({ me: { id: nurseId }, dispenser: null });
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors?.[0]?.message).toBe("A service behind the gateway is unavailable; try again shortly");
  // Which subgraph, and where, stays in the gateway's log.
  expect(answer.body.errors?.[0]?.extensions).toEqual({
    code: "INTERNAL_SERVER_ERROR",
    reason: "SUBGRAPH_UNAVAILABLE",
    correlationId: answer.requestId,
  });
}

describe("a subgraph the gateway cannot get an answer from", () => {
  it("resolves everything while the subgraph answers", async () => {
    const answer = await askWith("forward");
    expect(answer.body).toEqual({ data: { me: { id: nurseId }, dispenser: { id: cabinet } } });
  });

  it("fails its fields at once when its port refuses connections", async () => {
    const answer = await askWith("refuse");
    expectUnavailable(answer);
    expect(answer.ms).toBeLessThan(timeoutMs / 2);
  });

  it("fails its fields after SUBGRAPH_TIMEOUT_MS when it accepts connections and never answers", async () => {
    const answer = await askWith("stall");
    expectUnavailable(answer);
    expect(answer.ms).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(answer.ms).toBeLessThan(timeoutMs + 2_500);
  });

  it("treats a 503 from a proxy in front of it the same way", async () => {
    const answer = await askWith("unavailable");
    expectUnavailable(answer);
    expect(answer.ms).toBeLessThan(timeoutMs / 2);
  });

  it("answers in full again once the subgraph is back", async () => {
    const answer = await askWith("forward");
    expect(answer.body).toEqual({ data: { me: { id: nurseId }, dispenser: { id: cabinet } } });
  });
});
