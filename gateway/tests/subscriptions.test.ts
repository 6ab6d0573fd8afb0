/**
 * Live request status through the real gateway over graphql-ws, fed by the real
 * NATS JetStream, payloads resolved across subgraphs.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoToken, gatewayMetrics, testStack } from "@asky/stack/testing";
import { changeStatus, createRequest, type Fixture } from "./support/requests-api.js";
import { wardTeam } from "./support/ward-team.js";
import { startExtraGateway } from "./support/extra-gateway.js";
import { subscribe, until, wsClient } from "./support/ws-client.js";

const stack = testStack();

interface StatusEvent {
  requestStatusChanged: {
    cursor: string;
    type: string;
    previousStatus: string | null;
    status: string;
    actor: { fullName: string } | null;
    request: {
      number: string;
      requester: { fullName: string };
      dispenser: { name: string; ward: string };
      items: { quantity: number; item: { name: string } }[];
    };
  };
}

const STATUS_SUBSCRIPTION = `subscription($id: ID!, $after: String) {
  requestStatusChanged(requestId: $id, after: $after) {
    cursor type previousStatus status actor { fullName }
    request { number requester { fullName } dispenser { name ward } items { quantity item { name } } }
  }
}`;

let fixture: Fixture;
let nurse: string;
let pharmacist: string;

beforeAll(async () => {
  ({ fixture, nurse, pharmacist } = await wardTeam());
});

async function subgraphRequests(gatewayUrl = stack.gatewayUrl): Promise<number> {
  const text = await gatewayMetrics(gatewayUrl);
  return [...text.matchAll(/^asky_gateway_subgraph_requests_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

describe("requestStatusChanged", () => {
  it("delivers PENDING → … → DELIVERED in order with cross-subgraph fields", async () => {
    const request = await createRequest(fixture, nurse);
    const client = wsClient(stack.gatewayUrl, nurse);
    const received = subscribe<StatusEvent>(client, STATUS_SUBSCRIPTION, { id: request.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    let current = request;
    for (const status of ["ACCEPTED", "PREPARING", "DISPATCHED"])
      current = await changeStatus(current, status, pharmacist);
    await changeStatus(current, "DELIVERED", nurse);
    await until(() => received.results.length >= 4, 15_000, "four status events");
    await client.dispose();

    expect(received.errors).toEqual([]);
    const events = received.results.map((result) => result.requestStatusChanged);
    expect(events.map((event) => [event.previousStatus, event.status])).toEqual([
      ["PENDING", "ACCEPTED"],
      ["ACCEPTED", "PREPARING"],
      ["PREPARING", "DISPATCHED"],
      ["DISPATCHED", "DELIVERED"],
    ]);
    for (const event of events) {
      expect(event.type).toBe("STATUS_CHANGED");
      expect(event.request.requester.fullName.length).toBeGreaterThan(0);
      expect(event.request.dispenser.ward).toBe("UTI-ADULTO");
      expect(event.request.items.every((line) => line.item.name.length > 0)).toBe(true);
      expect(event.actor?.fullName.length).toBeGreaterThan(0);
    }
    expect(new Set(events.map((event) => event.cursor)).size).toBe(4);
  });

  it("replays exactly the missed events after a cursor, in order, then continues live", async () => {
    let request = await createRequest(fixture, nurse);
    const first = wsClient(stack.gatewayUrl, nurse);
    const before = subscribe<StatusEvent>(first, STATUS_SUBSCRIPTION, { id: request.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    request = await changeStatus(request, "ACCEPTED", pharmacist);
    await until(() => before.results.length === 1, 10_000, "the first event");
    const cursor = before.results[0]!.requestStatusChanged.cursor;
    await first.dispose();

    request = await changeStatus(request, "PREPARING", pharmacist);
    request = await changeStatus(request, "DISPATCHED", pharmacist);
    request = await changeStatus(request, "DELIVERED", nurse);

    const second = wsClient(stack.gatewayUrl, nurse);
    const resumed = subscribe<StatusEvent>(second, STATUS_SUBSCRIPTION, { id: request.id, after: cursor });
    await until(() => resumed.results.length >= 3, 10_000, "three replayed events");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(resumed.results.map((result) => result.requestStatusChanged.status)).toEqual([
      "PREPARING",
      "DISPATCHED",
      "DELIVERED",
    ]);

    // Live after the replay: a new request on the ward board reaches a resumed requestEvents subscriber too.
    const board = subscribe<{ requestEvents: { type: string; request: { number: string } } }>(
      second,
      `subscription($after: String) { requestEvents(after: $after) { type request { number } } }`,
      { after: resumed.results.at(-1)!.requestStatusChanged.cursor },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await createRequest(fixture, nurse);
    await until(
      () => board.results.some((result) => result.requestEvents.type === "CREATED"),
      10_000,
      "a live event after replay",
    );
    await second.dispose();
  });
});

describe("authorization", () => {
  it("closes a connection without a token, or with a bad one, with 4401", async () => {
    for (const token of [null, "not-a-token"]) {
      let closed: { code: number } | null = null;
      const client = wsClient(stack.gatewayUrl, token, (event) => (closed = event));
      const received = subscribe(client, `subscription { requestEvents { type } }`);
      await until(() => closed !== null || received.closed !== null, 5_000, "the socket to close");
      expect((closed ?? received.closed)!.code).toBe(4401);
      await client.dispose();
    }
  });

  it("closes the socket when the access token expires", async () => {
    const set = JSON.parse(await readFile(join(stack.keysDir, "users.private.jwks.json"), "utf8")) as { keys: JWK[] };
    const key = (await importJWK(set.keys[0]!, "ES256")) as CryptoKey;
    const me = (
      (await (
        await fetch(stack.gatewayUrl, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${nurse}` },
          body: JSON.stringify({ query: "{ me { id role ward } }" }),
        })
      ).json()) as { data: { me: { id: string; role: string; ward: string } } }
    ).data.me;
    const now = Math.floor(Date.now() / 1000);
    const shortLived = await new SignJWT({ sub: me.id, role: me.role, ward: me.ward, token_use: "access" })
      .setProtectedHeader({ alg: "ES256", kid: set.keys[0]!.kid!, typ: "JWT" })
      .setIssuer("asky-users")
      .setAudience("asky-api")
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 2)
      .sign(key);
    let closed: { code: number; reason: string } | null = null;
    const client = wsClient(stack.gatewayUrl, shortLived, (event) => (closed = event));
    subscribe(client, `subscription { requestEvents { type } }`);
    await until(() => closed !== null, 8_000, "the expiry close");
    expect(closed!.code).toBe(4401);
    expect(closed!.reason).toMatch(/expired/i);
    await client.dispose();
  });

  it("gives a nurse of another ward nothing", async () => {
    const peds = await demoToken("nurse.peds@asky.dev");
    const client = wsClient(stack.gatewayUrl, peds);
    const board = subscribe<{ requestEvents: { request: { ward: string } } }>(
      client,
      `subscription { requestEvents { request { ward } } }`,
    );
    const forbidden = subscribe(client, `subscription { requestEvents(ward: "UTI-ADULTO") { type } }`);
    const request = await createRequest(fixture, nurse);
    const hidden = subscribe(client, STATUS_SUBSCRIPTION, { id: request.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await changeStatus(request, "ACCEPTED", pharmacist);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await client.dispose();
    expect(board.results).toEqual([]);
    expect(JSON.stringify(forbidden.errors)).toContain("FORBIDDEN");
    expect(JSON.stringify(hidden.errors)).toContain("NOT_FOUND");
    expect(hidden.results).toEqual([]);
  });
});

describe("fan-out", () => {
  it("resolves each event a constant number of times whatever the number of subscribers", async () => {
    const query = `subscription { requestEvents(dispenserId: "${fixture.dispenserId}") { status request { number requester { fullName } dispenser { name } items { item { name } } } } }`;
    const cost = async (subscribers: number): Promise<number> => {
      const clients = Array.from({ length: Math.ceil(subscribers / 50) }, () => wsClient(stack.gatewayUrl, pharmacist));
      const streams = Array.from({ length: subscribers }, (_, index) =>
        subscribe<{ requestEvents: { status: string } }>(clients[index % clients.length]!, query),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const request = await createRequest(fixture, nurse);
      await until(
        () => streams.every((stream) => stream.results.length >= 1),
        20_000,
        "every subscriber to get the creation",
      );
      const before = await subgraphRequests();
      await changeStatus(request, "ACCEPTED", pharmacist);
      await until(
        () => streams.every((stream) => stream.results.length >= 2),
        20_000,
        "every subscriber to get the change",
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await subgraphRequests();
      for (const client of clients) await client.dispose();
      return after - before;
    };
    const one = await cost(1);
    const many = await cost(500);
    expect(one).toBeGreaterThan(0);
    expect(many).toBe(one);
  }, 120_000);
});

describe("replicas", () => {
  let second: { url: string; stop(): void } | null = null;
  afterAll(() => second?.stop());

  it("delivers a change made through one gateway to a subscriber of another", async () => {
    second = await startExtraGateway();
    const client = wsClient(second.url, pharmacist);
    const received = subscribe<{ requestEvents: { type: string; request: { id: string } } }>(
      client,
      `subscription { requestEvents(dispenserId: "${fixture.dispenserId}") { type request { id } } }`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const request = await createRequest(fixture, nurse, stack.gatewayUrl);
    await until(
      () => received.results.some((result) => result.requestEvents.request.id === request.id),
      10_000,
      "the event on the second gateway",
    );
    await client.dispose();
  }, 60_000);
});
