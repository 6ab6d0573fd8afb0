/**
 * Live subscriptions through a nats-server restart: a gateway, users and requests services
 * and a nats-server of their own (the shared stack's keep running). Requests are created and
 * moved along through the gateway while the broker restarts; every `requestEvents`
 * subscriber must receive each event the writes produced exactly once, in stream order, and
 * keep receiving new ones afterwards. A feed that cannot be proven current shows in /health
 * and /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { DEMO_PASSWORD, eventually, gql } from "@asky/stack/testing";
import { decodeEventCursor } from "../src/subscriptions/event-cursor.js";
import { createRequest, fixtureFor, type Fixture } from "./support/requests-api.js";
import { metricValue, startPrivateUsersStack, type PrivateUsersStack } from "./support/private-users-stack.js";
import { requestEventsInStream, requestsOutboxDrained, type StreamedRequestEvent } from "./support/request-stream.js";
import { startRequestWrites } from "./support/request-writes.js";
import { subscribe, until, wsClient } from "./support/ws-client.js";

/** How soon after the broker is back events must reach subscribers again. */
/**
 * Events flow again about a second after the broker is back on a quiet machine (the feed
 * reopens on the reconnect); the bound is generous because the suite shares two cores, and
 * what this test holds is that they flow at all, each once and in order.
 */
const RESUME_BOUND_MS = 15_000;

let stack: PrivateUsersStack;
let nurse: string;
let pharmacist: string;
let fixture: Fixture;

async function login(email: string): Promise<string> {
  const { body } = await gql<{ login: { accessToken: string } }>(
    `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`,
    { email, password: DEMO_PASSWORD },
    { url: stack.gatewayUrl },
  );
  if (!body.data?.login) throw new Error(`login ${email} failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.accessToken;
}

beforeAll(async () => {
  stack = await startPrivateUsersStack({ requests: true });
  [nurse, pharmacist] = await Promise.all([login("nurse@asky.dev"), login("pharmacist@asky.dev")]);
  fixture = await fixtureFor("UTI-ADULTO", nurse, stack.gatewayUrl);
}, 180_000);
afterAll(async () => {
  await stack?.dispose();
});

interface BoardEvent {
  requestEvents: { cursor: string; type: string; status: string; request: { id: string } };
}

const lifecycle = new Set(["CREATED", "STATUS_CHANGED"]);
const BOARD = `subscription { requestEvents(ward: "UTI-ADULTO") { cursor type status request { id } } }`;

async function streamEvents(): Promise<StreamedRequestEvent[]> {
  const nc = await connect({ servers: stack.nats.url });
  try {
    return await requestEventsInStream(nc);
  } finally {
    await nc.close();
  }
}

const outboxDrained = () => requestsOutboxDrained(stack.requests!.databaseUrl);

function gatewayAlive(): void {
  expect(stack.gateway.process.exitCode, `gateway exited; stderr:\n${stack.gateway.stderr().slice(-2_000)}`).toBeNull();
}

describe("subscriptions through a nats-server restart", () => {
  it("deliver every event exactly once and in order to each subscriber, and resume after the restart", async () => {
    const boards = [
      { name: "pharmacy", client: wsClient(stack.gatewayUrl, pharmacist) },
      { name: "ward", client: wsClient(stack.gatewayUrl, nurse) },
    ].map(({ name, client }) => ({ name, client, received: subscribe<BoardEvent>(client, BOARD) }));
    try {
      // Both subscriptions are live once each has seen an event. graphql-ws does not acknowledge
      // a subscribe and a live subscription does not replay, so on a busy machine the first
      // request may precede one of them: requests are opened until both boards have seen one,
      // and only the events after those are compared.
      const bothLive = () => boards.every((board) => board.received.results.length > 0);
      for (let attempt = 1; !bothLive(); attempt++) {
        if (attempt > 20) throw new Error("neither board received any of 20 requests");
        await createRequest(fixture, nurse, stack.gatewayUrl);
        await until(bothLive, 1_000, "both boards live").catch(() => undefined);
      }
      await eventually(outboxDrained, 20_000, "the warm-up requests to be published");
      const baseline = (await streamEvents()).at(-1)?.seq ?? 0;
      const after = (board: (typeof boards)[number]) =>
        board.received.results.filter(
          ({ requestEvents }) =>
            // The lifecycle events the writes make; the turnaround clock may warn of any open request meanwhile.
            lifecycle.has(requestEvents.type) && (decodeEventCursor(requestEvents.cursor) ?? 0) > baseline,
        );

      const writes = startRequestWrites({ gatewayUrl: stack.gatewayUrl, fixture, nurse, pharmacist });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await stack.nats.restart();
      const backAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const written = await writes.stop();

      await eventually(outboxDrained, 20_000, "the requests outbox to drain");
      const expected = (await streamEvents()).filter((event) => event.seq > baseline);
      expect(expected).toHaveLength(written);
      for (const board of boards) {
        await until(
          () => after(board).length >= expected.length,
          20_000,
          `${board.name}: all ${expected.length} events (has ${after(board).length})`,
        );
      }
      // Anything duplicated would arrive just behind the rest.
      await new Promise((resolve) => setTimeout(resolve, 500));

      for (const board of boards) {
        expect(board.received.errors, board.name).toEqual([]);
        const got = after(board).map(({ requestEvents: event }) => ({
          seq: decodeEventCursor(event.cursor),
          type: event.type,
          requestId: event.request.id,
        }));
        expect(got, board.name).toEqual(expected);
        const resumedAfterMs =
          (board.received.arrivedAt.find((at) => at > backAt) ?? Number.POSITIVE_INFINITY) - backAt;
        expect(resumedAfterMs, `${board.name}: first event after the broker came back`).toBeLessThan(RESUME_BOUND_MS);
      }

      // Still live: one more request reaches both boards at once.
      const last = await createRequest(fixture, nurse, stack.gatewayUrl);
      await until(
        () =>
          boards.every((board) => board.received.results.some((result) => result.requestEvents.request.id === last.id)),
        RESUME_BOUND_MS,
        "a new event after the restart",
      );
      gatewayAlive();
    } finally {
      await Promise.all(boards.map((board) => board.client.dispose()));
    }
  }, 60_000);

  it("shows a stale event feed in /health (200, degraded) and /metrics while nats-server is stalled, and recovers", async () => {
    const eventFeed = async () => {
      const response = await fetch(new URL("/health", stack.gatewayUrl));
      return { status: response.status, body: (await response.json()) as { status: string; eventFeed?: string } };
    };
    await eventually(async () => (await eventFeed()).body.status === "ok", 15_000, "a healthy gateway");
    expect(metricValue(await stack.metrics(), "asky_gateway_event_feed_current")).toBe(1);

    const client = wsClient(stack.gatewayUrl, pharmacist);
    const board = subscribe<BoardEvent>(client, BOARD);
    try {
      stack.nats.pause();
      try {
        const stalled = await eventually(
          async () => {
            const answer = await eventFeed();
            return answer.body.eventFeed === "stale" ? answer : null;
          },
          6_000,
          "the event feed to be stale",
        );
        expect(stalled.status).toBe(200);
        expect(stalled.body.status).toBe("degraded");
        expect(metricValue(await stack.metrics(), "asky_gateway_event_feed_current")).toBe(0);
      } finally {
        stack.nats.resume();
      }
      await eventually(
        async () => (await eventFeed()).body.eventFeed === "current",
        10_000,
        "the event feed to be current again",
      );
      await eventually(async () => (await eventFeed()).body.status === "ok", 10_000, "the gateway to be ok again");
      expect(metricValue(await stack.metrics(), "asky_gateway_event_feed_current")).toBe(1);

      const request = await createRequest(fixture, nurse, stack.gatewayUrl);
      await until(
        () => board.results.some((result) => result.requestEvents.request.id === request.id),
        RESUME_BOUND_MS,
        "an event after the stall",
      );
      expect(board.errors).toEqual([]);
      gatewayAlive();
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
