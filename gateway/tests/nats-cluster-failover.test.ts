/**
 * What a hospital depends on, on a JetStream cluster of 3 nats-servers (NATS_URL listing the
 * members, NATS_STREAM_REPLICAS=3), when any one broker dies with SIGKILL and comes back: a
 * gateway and the three subgraphs of their own run on the cluster (the shared stack keeps
 * running). The nodes killed are the ones that matter: the one hosting the gateway's
 * revocation consumer, the stream leader, the one hosting the requests subgraph's revocation
 * consumer (unless an earlier kill took it already), and the one hosting the gateway's
 * subscription consumer. Each service connects to a member at random: one whose member
 * survives hears nothing from its connection, only its consumer's silence says it is gone.
 *
 * - Revocation fails closed throughout: a logout made after the kill is refused within the
 *   README's 2 s at the gateway and at a subgraph, and once the feeds have a consumer on a live
 *   node again they are current (health "ok", metrics 1) and read the revocation themselves.
 * - Subscribers get every request event exactly once and in stream order across the kill and
 *   the node's return.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { accessRevoked } from "@asky/contracts";
import { STREAM_NAME } from "@asky/events";
import { fileSink, repoRoot } from "@asky/stack";
import {
  DEMO_PASSWORD,
  eventually,
  gql,
  internalTokenFor,
  login as signIn,
  logout as signOut,
  testStack,
  type NatsClusterNode,
  type Session,
} from "@asky/stack/testing";
import { decodeEventCursor, encodeEventCursor } from "../src/subscriptions/event-cursor.js";
import { startClusterStack, type ClusterStack } from "./support/cluster-stack.js";
import { metricValue } from "./support/private-users-stack.js";
import { createRequest, fixtureFor, type Fixture } from "./support/requests-api.js";
import { refusedWithin as refusedWithinBound } from "./support/refused-within.js";
import { requestEventsInStream, requestsOutboxDrained } from "./support/request-stream.js";
import { startRequestWrites } from "./support/request-writes.js";
import { subscribe, until, wsClient } from "./support/ws-client.js";

/** The README's promise, from the commit of a revocation to the first refused request. */
const BOUND_MS = 2_000;
/**
 * From the kill until every feed is proven current again: the dead node's consumers must be
 * noticed (missed heartbeats) and recreated on a live node, after the cluster's elections.
 * A few seconds on a quiet machine; generous because the suite shares two cores.
 */
const FEEDS_BACK_MS = 20_000;
/** From the kill until subscribers get events again (same story as FEEDS_BACK_MS). */
const EVENTS_BACK_MS = 20_000;

const logFile = join(repoRoot, ".asky", "nats-cluster-failover.log");
let env: ClusterStack;

beforeAll(async () => {
  env = await startClusterStack({ log: fileSink(logFile) });
}, 180_000);
afterAll(async () => {
  await env?.dispose();
});

const login = (email: string): Promise<Session> => signIn(email, DEMO_PASSWORD, { url: env.stack.gatewayUrl });
const logout = (session: Session): Promise<void> => signOut(session, { url: env.stack.gatewayUrl });

/** A query the dispensers subgraph answers: the gateway checks the token, and so does that subgraph. */
const atGateway = (token: string) =>
  gql(`{ dispensers(first: 1) { totalCount } }`, {}, { token, url: env.stack.gatewayUrl });
/** Straight at the requests subgraph's port, with the internal token the gateway would send. */
const atRequests = (internalToken: string) =>
  gql(`{ requests(first: 1) { totalCount } }`, {}, { token: internalToken, url: env.stack.subgraphUrls.requests });

/** Milliseconds until `ask` refuses `token`; fails past the bound. */
const refusedWithin = (token: string, ask: typeof atGateway): Promise<number> =>
  refusedWithinBound(token, BOUND_MS, ask);

interface Health {
  status: string;
  revocationFeed?: string;
  eventFeed?: string;
}

async function health(url: string): Promise<Health | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return (await response.json()) as Health;
  } catch {
    return null;
  }
}

/** The gateway's /health is "ok" (both its feeds current) and every subgraph's revocation feed is current. */
async function everyFeedCurrent(): Promise<boolean> {
  const { healthUrls } = env.stack;
  const [gateway, ...subgraphs] = await Promise.all(
    [healthUrls.gateway, healthUrls.users, healthUrls.dispensers, healthUrls.requests].map(health),
  );
  return gateway?.status === "ok" && subgraphs.every((answer) => answer?.revocationFeed === "current");
}

/** The sequence of the last access revocation stored in the stream. */
async function lastRevocationSeq(): Promise<number> {
  const jsm = await jetstreamManager(env.nc, { timeout: 2_000 });
  const message = await jsm.streams.getMessage(STREAM_NAME, { last_by_subj: accessRevoked.subject });
  if (!message) throw new Error("no access revocation in the stream");
  return message.seq;
}

/** Resolves once the named feed's consumer has delivered `seq`: the feed itself read it. */
async function feedRead(name: string, seq: number): Promise<void> {
  await eventually(
    async () => ((await env.consumerNamed(name).catch(() => null))?.delivered.stream_seq ?? 0) >= seq,
    FEEDS_BACK_MS,
    `${name} to read sequence ${seq}`,
  );
}

describe("revocation on a JetStream cluster of 3 when one broker is SIGKILLed", () => {
  /** The feeds whose consumers were on a node when it was killed. */
  const orphaned = new Set<string>();
  const targets: { what: string; node: () => Promise<NatsClusterNode>; unlessOrphaned?: string }[] = [
    {
      what: "the node hosting the gateway's revocation consumer",
      node: async () => env.hostOf(await env.consumerNamed("gateway-access-revocations")),
    },
    {
      what: "the stream leader",
      node: async () => env.cluster.node((await env.settledStream()).cluster!.leader!),
    },
    {
      what: "the node hosting the requests subgraph's revocation consumer",
      node: async () => env.hostOf(await env.consumerNamed("requests-access-revocations")),
      // Where an earlier kill took that consumer already, a third kill proves nothing more.
      unlessOrphaned: "requests-access-revocations",
    },
  ];

  for (const target of targets) {
    it(`refuses a logout made after killing ${target.what} within 2 s, is current again once the feeds move, and after the node's return`, async (context) => {
      if (target.unlessOrphaned !== undefined && orphaned.has(target.unlessOrphaned)) context.skip();
      await env.settledStream();
      await eventually(everyFeedCurrent, 30_000, "every revocation feed current before the kill");
      const node = await target.node();
      const hosted = await env.feedsOn(node);
      for (const feed of hosted) orphaned.add(feed);
      const nurse = await login("nurse@asky.dev");
      const nurseInternal = await internalTokenFor(nurse.accessToken, "requests");
      const bystander = await login("pharmacist@asky.dev");
      expect((await atGateway(nurse.accessToken)).status).toBe(200);
      expect((await atRequests(nurseInternal)).status).toBe(200);

      const killedAt = Date.now();
      await node.kill("SIGKILL");
      try {
        await logout(nurse);
        const refusedAfter = await Promise.all([
          refusedWithin(nurse.accessToken, atGateway),
          refusedWithin(nurseInternal, atRequests),
        ]);
        expect(refusedAfter[0], "at the gateway").toBeLessThan(BOUND_MS);
        expect(refusedAfter[1], "at the requests subgraph").toBeLessThan(BOUND_MS);
        // Everyone else is served meanwhile: the users service vouches while a feed is stale.
        expect((await atGateway(bystander.accessToken)).status).toBe(200);

        await eventually(everyFeedCurrent, FEEDS_BACK_MS, `every feed current again after killing ${target.what}`);
        const currentAfterMs = Date.now() - killedAt;
        const metrics = await env.metrics();
        expect(metricValue(metrics, "asky_gateway_revocation_feed_current")).toBe(1);
        expect(metricValue(metrics, "asky_gateway_event_feed_current")).toBe(1);
        // The feeds read the logout themselves, from consumers on live nodes.
        const revocationSeq = await lastRevocationSeq();
        await feedRead("gateway-access-revocations", revocationSeq);
        await feedRead("requests-access-revocations", revocationSeq);
        console.info(
          `killed ${target.what} (${node.name}, hosting ${hosted.join(", ") || "no feed"}): logout refused after ` +
            `${refusedAfter.join("/")} ms (gateway/requests), every feed current ${currentAfterMs} ms after the kill`,
        );
      } finally {
        // Whatever failed, the next test starts with the whole cluster.
        await node.start();
      }

      // The node is back: nothing regresses.
      await env.settledStream();
      const again = await login("nurse@asky.dev");
      const againInternal = await internalTokenFor(again.accessToken, "requests");
      expect((await atGateway(again.accessToken)).status).toBe(200);
      await logout(again);
      const refusedAfterReturn = await Promise.all([
        refusedWithin(again.accessToken, atGateway),
        refusedWithin(againInternal, atRequests),
      ]);
      expect(Math.max(...refusedAfterReturn)).toBeLessThan(BOUND_MS);
      await feedRead("gateway-access-revocations", await lastRevocationSeq());
      await eventually(everyFeedCurrent, FEEDS_BACK_MS, "every feed current after the node's return");
      expect((await atGateway(bystander.accessToken)).status).toBe(200);
    }, 90_000);
  }
});

interface BoardEvent {
  requestEvents: { cursor: string; type: string; status: string; request: { id: string } };
}

const BOARD = `subscription($after: String) {
  requestEvents(ward: "UTI-ADULTO", after: $after) { cursor type status request { id } }
}`;

/** A board's lifecycle events: the ones the writes make (the turnaround clock may warn of any open request meanwhile). */
const lifecycleOf = (board: { received: { results: BoardEvent[] } }) =>
  board.received.results.filter(
    ({ requestEvents }) => requestEvents.type === "CREATED" || requestEvents.type === "STATUS_CHANGED",
  );

/** The stream's last sequence now. */
async function lastSeq(): Promise<number> {
  const jsm = await jetstreamManager(env.nc);
  return (await jsm.streams.info(STREAM_NAME)).state.last_seq;
}

const outboxDrained = () => requestsOutboxDrained(env.database.adminUrl);

describe("subscriptions on a JetStream cluster of 3 when one broker is SIGKILLed", () => {
  let nurse: string;
  let pharmacist: string;
  let fixture: Fixture;

  beforeAll(async () => {
    [nurse, pharmacist] = await Promise.all([
      login("nurse@asky.dev").then((session) => session.accessToken),
      login("pharmacist@asky.dev").then((session) => session.accessToken),
    ]);
    fixture = await fixtureFor("UTI-ADULTO", nurse, env.stack.gatewayUrl);
  });

  it("deliver every request event exactly once and in order across the death of the node hosting the gateway's feed consumer, and its return", async () => {
    await env.settledStream();
    await eventually(everyFeedCurrent, 30_000, "every feed current before the kill");
    // Subscribed from a cursor, as a client resumes: every event after it arrives, however
    // long the sockets take to open, so the first request cannot slip past a board.
    const from = await lastSeq();
    const after = encodeEventCursor(from);
    const boards = [
      { name: "pharmacy", client: wsClient(env.stack.gatewayUrl, pharmacist) },
      { name: "ward", client: wsClient(env.stack.gatewayUrl, nurse) },
    ].map(({ name, client }) => ({ name, client, received: subscribe<BoardEvent>(client, BOARD, { after }) }));
    try {
      const first = await createRequest(fixture, nurse, env.stack.gatewayUrl);
      await until(
        () =>
          boards.every((board) =>
            board.received.results.some((result) => result.requestEvents.request.id === first.id),
          ),
        10_000,
        "the first event",
      );
      const node = env.hostOf(await env.consumerNamed("gateway-subscription-events"));

      const writes = startRequestWrites({ gatewayUrl: env.stack.gatewayUrl, fixture, nurse, pharmacist });
      let written = 1;
      const arrivedSince = (at: number) =>
        Math.min(...boards.map((board) => board.received.arrivedAt.filter((arrived) => arrived > at).length));
      try {
        await until(() => arrivedSince(0) >= 6, 10_000, "events before the kill");
        const killedAt = Date.now();
        await node.kill("SIGKILL");
        try {
          await until(() => arrivedSince(killedAt) >= 10, EVENTS_BACK_MS, "events after the kill");
        } finally {
          await node.start();
        }
        // Writes go on throughout: the longest silence a board saw after the kill is how long
        // the gateway's feed was without a consumer (plus the cluster's elections).
        const longestGapMs = Math.max(
          ...boards.map(({ received: { arrivedAt } }) =>
            Math.max(
              ...arrivedAt.slice(1).map((at, i) => (at > killedAt ? at - Math.max(arrivedAt[i]!, killedAt) : 0)),
            ),
          ),
        );
        const backAt = Date.now();
        await env.settledStream();
        await until(() => arrivedSince(backAt) >= 10, EVENTS_BACK_MS, "events after the node's return");
        console.info(
          `killed ${node.name} (the gateway's subscription consumer): the longest wait for an event was ${longestGapMs} ms`,
        );
      } finally {
        written += await writes.stop();
      }

      await eventually(outboxDrained, 20_000, "the requests outbox to drain");
      const expected = await requestEventsInStream(env.nc, from);
      expect(expected).toHaveLength(written);
      for (const board of boards)
        await until(
          () => lifecycleOf(board).length >= expected.length,
          EVENTS_BACK_MS,
          `${board.name}: all ${expected.length} events (has ${lifecycleOf(board).length})`,
        );
      // Anything duplicated would arrive just behind the rest.
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const board of boards) {
        expect(board.received.errors, board.name).toEqual([]);
        expect(board.received.closed, board.name).toBeNull();
        const got = lifecycleOf(board).map(({ requestEvents: event }) => ({
          seq: decodeEventCursor(event.cursor),
          type: event.type,
          requestId: event.request.id,
        }));
        expect(got, board.name).toEqual(expected);
      }
      await eventually(everyFeedCurrent, FEEDS_BACK_MS, "every feed current at the end");
    } finally {
      await Promise.all(boards.map((board) => board.client.dispose()));
    }
  }, 90_000);
});

describe("the shared test stack", () => {
  it("is untouched: its accounts still sign in with the passwords its roles had", async () => {
    const { body } = await gql<{ login: { accessToken: string } }>(
      `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`,
      { email: "nurse@asky.dev", password: DEMO_PASSWORD },
      { url: testStack().gatewayUrl },
    );
    expect(body.data?.login.accessToken).toBeTruthy();
  });
});
