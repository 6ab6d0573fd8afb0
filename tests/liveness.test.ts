/**
 * The liveness route against the real processes. Kubernetes restarts a pod whose liveness
 * probe fails, so the route must stay 200 through a dependency outage, where /health (the
 * readiness probe) turns 503, and must fail when the process itself does not answer: a
 * stopped process still has its connections accepted by the kernel, which is all a TCP
 * probe checks.
 *
 * The dependency outage is a dispensers replica of its own (own database, own nats-server)
 * whose database is dropped, behind a gateway of its own that federates it.
 */
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEALTH_PATH, LIVENESS_PATH, LIVENESS_WINDOW_MS } from "@asky/runtime";
import {
  eventually,
  gql,
  privateDatabase,
  startExtraGateway,
  startPrivateNats,
  startReplica,
  testStack,
  type ExtraGateway,
  type PrivateDatabase,
  type PrivateNats,
  type Replica,
} from "@asky/stack/testing";

const stack = testStack();
/** The replica's bound, short so that a stop of a few seconds exceeds it. */
const maxEventLoopDelayMs = 1_000;

/** The status a probe sees, or 0 when nothing answers within the timeout. */
function probe(url: string, timeoutMs = 3_000): Promise<number> {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (response) => response.status,
    () => 0,
  );
}

const livez = (graphqlUrl: string) => new URL(LIVENESS_PATH, graphqlUrl).toString();
const health = (graphqlUrl: string) => new URL(HEALTH_PATH, graphqlUrl).toString();

/** Whether a TCP connection to the URL's port is accepted: what a tcpSocket probe checks. */
function tcpConnects(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(3_000, () => (socket.destroy(), resolve(false)));
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe(`${LIVENESS_PATH} on every service of the stack`, () => {
  it.each(Object.keys(stack.healthUrls))("%s answers 200 alive", async (id) => {
    const healthUrl = stack.healthUrls[id as keyof typeof stack.healthUrls];
    expect(new URL(healthUrl).pathname).toBe(HEALTH_PATH);
    const response = await fetch(livez(healthUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "alive" });
  });
});

describe("a dispensers replica that loses its database, behind a gateway of its own", () => {
  let database: PrivateDatabase;
  let nats: PrivateNats;
  let replica: Replica;
  let gateway: ExtraGateway;
  let stopped = false;

  beforeAll(async () => {
    database = await privateDatabase("dispensers");
    nats = await startPrivateNats();
    replica = await startReplica("dispensers", {
      DATABASE_URL: database.serviceUrl,
      NATS_URL: nats.url,
      LOG_LEVEL: "warn",
      LIVENESS_MAX_EVENT_LOOP_DELAY_MS: String(maxEventLoopDelayMs),
    });
    // Small address allowance: its GraphQL refuses this test quickly, /livez must not.
    gateway = await startExtraGateway({
      DISPENSERS_URL: replica.url,
      RATE_LIMIT_ADDRESS_BURST: "2",
      RATE_LIMIT_ADDRESS_PER_SECOND: "1",
    });
  }, 180_000);

  afterAll(async () => {
    if (stopped && replica.process.pid !== undefined) process.kill(replica.process.pid, "SIGCONT");
    gateway?.stop();
    await replica?.stop();
    await nats?.dispose();
    await database?.drop();
  });

  it("both answer /health and /livez while everything is up", async () => {
    expect(await probe(health(replica.url))).toBe(200);
    expect(await probe(livez(replica.url))).toBe(200);
    expect(await probe(health(gateway.url))).toBe(200);
    expect(await probe(livez(gateway.url))).toBe(200);
  });

  it("the gateway answers /livez to a client past its rate limit", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1)
      statuses.push((await gql("{ __typename }", {}, { url: gateway.url })).status);
    expect(statuses).toContain(429);
    for (let index = 0; index < 30; index += 1) expect(await probe(livez(gateway.url))).toBe(200);
  });

  it("with its database gone: /health 503 at the replica and at the gateway, /livez 200 at both", async () => {
    await database.drop();
    await eventually(async () => (await probe(health(replica.url))) === 503, 20_000, "the replica's /health at 503");
    const gatewayHealth = await fetch(health(gateway.url));
    expect(gatewayHealth.status).toBe(503);
    expect(await gatewayHealth.json()).toMatchObject({
      status: "unavailable",
      subgraphs: { dispensers: "status 503" },
    });
    // Probe after probe, as the kubelet would: nothing here would restart either process.
    for (let round = 0; round < 10; round += 1) {
      expect(await probe(livez(replica.url))).toBe(200);
      expect(await probe(livez(gateway.url))).toBe(200);
      await sleep(200);
    }
    expect(replica.process.exitInfo).toBeUndefined();
  });

  it("stopped (SIGSTOP), the replica still accepts TCP connections but answers /livez not at all", async () => {
    process.kill(replica.process.pid!, "SIGSTOP");
    stopped = true;
    expect(await tcpConnects(replica.url)).toBe(true);
    expect(await probe(livez(replica.url), 2_000)).toBe(0);
    // The gateway cannot reach it: not ready, and alive.
    expect(await probe(health(gateway.url), 5_000)).toBe(503);
    expect(await probe(livez(gateway.url))).toBe(200);
  });

  it(`resumed, it answers /livez 503 stalled for ${LIVENESS_WINDOW_MS / 1_000} s, then 200 again`, async () => {
    // The earlier steps kept it stopped for several seconds, longer than its bound.
    process.kill(replica.process.pid!, "SIGCONT");
    stopped = false;
    const resumedAt = Date.now();
    const response = await fetch(livez(replica.url), { signal: AbortSignal.timeout(3_000) });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; eventLoopBlockedMs: number; maxEventLoopDelayMs: number };
    expect(body.status).toBe("stalled");
    expect(body.maxEventLoopDelayMs).toBe(maxEventLoopDelayMs);
    expect(body.eventLoopBlockedMs).toBeGreaterThan(maxEventLoopDelayMs);
    await eventually(
      async () => (await probe(livez(replica.url))) === 200,
      LIVENESS_WINDOW_MS + 5_000,
      "/livez at 200",
    );
    expect(Date.now() - resumedAt).toBeGreaterThanOrEqual(LIVENESS_WINDOW_MS - 1_000);
  }, 30_000);
});
