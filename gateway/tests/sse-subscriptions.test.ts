/**
 * Subscriptions over Server-Sent Events (POST /graphql/stream, graphql-sse's distinct
 * connections mode) through the real gateway, with graphql-sse's own client: the same events
 * as graphql-ws subscribers from the same hub, cursor resume, token expiry and revocation
 * ending the stream with UNAUTHENTICATED, ward scoping, and subscriptions only.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, demoToken, eventually, fixtureFor, gql, login, LOGOUT, testStack } from "@asky/stack/testing";
import { changeStatus, createRequest, type Fixture } from "./support/requests-api.js";
import { wardTeam } from "./support/ward-team.js";
import { subscribe, until, wsClient } from "./support/ws-client.js";
import { sseClient, sseSubscribe } from "./support/sse-client.js";

const stack = testStack();

interface BoardEvent {
  requestEvents: { cursor: string; type: string; status: string; request: { id: string } };
}

const BOARD = `subscription($dispenserId: ID) {
  requestEvents(dispenserId: $dispenserId) { cursor type status request { id } }
}`;

interface StatusEvent {
  requestStatusChanged: { cursor: string; status: string; request: { dispenser: { ward: string } } };
}

const STATUS = `subscription($id: ID!, $after: String) {
  requestStatusChanged(requestId: $id, after: $after) { cursor status request { dispenser { ward } } }
}`;

let fixture: Fixture;
let nurse: string;
let pharmacist: string;

beforeAll(async () => {
  ({ fixture, nurse, pharmacist } = await wardTeam());
});

/** An access token for the nurse signed with the users service's key, valid from `from` to `to` (epoch s). */
async function nurseToken(from: number, to: number): Promise<string> {
  const set = JSON.parse(await readFile(join(stack.keysDir, "users.private.jwks.json"), "utf8")) as { keys: JWK[] };
  const key = (await importJWK(set.keys[0]!, "ES256")) as CryptoKey;
  const { body } = await gql<{ me: { id: string; role: string; ward: string } }>(
    "{ me { id role ward } }",
    {},
    { token: nurse },
  );
  const me = body.data!.me;
  return new SignJWT({ sub: me.id, role: me.role, ward: me.ward, token_use: "access" })
    .setProtectedHeader({ alg: "ES256", kid: set.keys[0]!.kid!, typ: "JWT" })
    .setIssuer("asky-users")
    .setAudience("asky-api")
    .setIssuedAt(from)
    .setNotBefore(from)
    .setExpirationTime(to)
    .sign(key);
}

describe("SSE and WebSocket subscribers of the same field", () => {
  it("get the same events, exactly once each, in the same order", async () => {
    const variables = { dispenserId: fixture.dispenserId };
    const ws = wsClient(stack.gatewayUrl, pharmacist);
    const sse = sseClient(stack.gatewayUrl, pharmacist);
    const overWs = subscribe<BoardEvent>(ws, BOARD, variables);
    const overSse = sseSubscribe<BoardEvent>(sse, BOARD, variables);
    const ids = (received: { results: BoardEvent[] }) =>
      received.results.map((result) => result.requestEvents.request.id);
    // Both are live from the first request both receive: what follows it is compared. (A
    // WebSocket subscription says nothing when it is in place, so requests are made until then.)
    await until(() => overSse.connected, 15_000, "the stream");
    const probes: string[] = [];
    const common = () => probes.find((id) => ids(overWs).includes(id) && ids(overSse).includes(id));
    const probe = await eventually(
      async () => {
        probes.push((await createRequest(fixture, nurse)).id);
        await new Promise((resolve) => setTimeout(resolve, 250));
        return common();
      },
      20_000,
      "both subscriptions to be live",
    );
    let first = await createRequest(fixture, nurse);
    let second = await createRequest(fixture, nurse);
    first = await changeStatus(first, "ACCEPTED", pharmacist);
    second = await changeStatus(second, "ACCEPTED", pharmacist);
    first = await changeStatus(first, "PREPARING", pharmacist);
    // A last request marks the end: whatever came before it has arrived on both.
    const marker = await createRequest(fixture, nurse);
    await until(() => ids(overWs).includes(marker.id) && ids(overSse).includes(marker.id), 15_000, "the marker");
    await ws.dispose();
    sse.dispose();

    const after = (received: { results: BoardEvent[] }) => {
      const all = received.results.map((result) => result.requestEvents);
      return all.slice(all.findIndex((event) => event.request.id === probe) + 1);
    };
    const between = (received: { results: BoardEvent[] }) => {
      const rest = after(received);
      const to = rest.findIndex((event) => event.request.id === marker.id);
      return rest.slice(0, to).filter((event) => [first.id, second.id].includes(event.request.id));
    };
    const expected = [
      [first.id, "CREATED", "PENDING"],
      [second.id, "CREATED", "PENDING"],
      [first.id, "STATUS_CHANGED", "ACCEPTED"],
      [second.id, "STATUS_CHANGED", "ACCEPTED"],
      [first.id, "STATUS_CHANGED", "PREPARING"],
    ];
    const shape = (events: BoardEvent["requestEvents"][]) => events.map((e) => [e.request.id, e.type, e.status]);
    expect(shape(between(overSse))).toEqual(expected);
    expect(shape(between(overWs))).toEqual(expected);
    // The very same events: same cursors, none twice, on either transport.
    expect(after(overSse).map((event) => event.cursor)).toEqual(after(overWs).map((event) => event.cursor));
    const cursors = overSse.results.map((result) => result.requestEvents.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(overSse.errors).toEqual([]);
  });
});

describe("resume over SSE", () => {
  it("replays exactly the missed events after a cursor, then continues live", async () => {
    let request = await createRequest(fixture, nurse);
    const sse = sseClient(stack.gatewayUrl, nurse);
    const before = sseSubscribe<StatusEvent>(sse, STATUS, { id: request.id });
    // The response's headers come once the subscription is in place.
    await until(() => before.connected, 15_000, "the subscription");
    request = await changeStatus(request, "ACCEPTED", pharmacist);
    await until(() => before.results.length === 1, 15_000, "the first event");
    const cursor = before.results[0]!.requestStatusChanged.cursor;
    before.stop();

    request = await changeStatus(request, "PREPARING", pharmacist);
    request = await changeStatus(request, "DISPATCHED", pharmacist);
    const resumed = sseSubscribe<StatusEvent>(sse, STATUS, { id: request.id, after: cursor });
    await until(() => resumed.results.length >= 2, 15_000, "the replayed events");
    await changeStatus(request, "DELIVERED", nurse);
    await until(() => resumed.results.length >= 3, 15_000, "the live event after the replay");
    sse.dispose();
    expect(resumed.errors).toEqual([]);
    expect(resumed.results.map((result) => result.requestStatusChanged.status)).toEqual([
      "PREPARING",
      "DISPATCHED",
      "DELIVERED",
    ]);
  });
});

describe("authentication", () => {
  it("ends the stream with UNAUTHENTICATED (TOKEN_EXPIRED) when the access token expires, then completes", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sse = sseClient(stack.gatewayUrl, await nurseToken(now, now + 2));
    const received = sseSubscribe(sse, `subscription { requestEvents { type } }`);
    await until(() => received.completed || received.failure !== null, 15_000, "the stream to end");
    expect(received.failure).toBeNull();
    expect(received.errors.map((error) => error.extensions)).toEqual([
      { code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" },
    ]);
    sse.dispose();
  });

  it("refuses an expired or bad token, or none, with UNAUTHENTICATED and its reason", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string | null, string][] = [
      [await nurseToken(now - 120, now - 60), "TOKEN_EXPIRED"],
      ["not-a-token", "TOKEN_INVALID"],
      [null, "TOKEN_MISSING"],
    ];
    for (const [token, reason] of cases) {
      const sse = sseClient(stack.gatewayUrl, token);
      const received = sseSubscribe(sse, `subscription { requestEvents { type } }`);
      await until(() => received.completed || received.failure !== null, 15_000, "the refusal");
      expect(received.failure, reason).toBeNull();
      expect(received.errors.map((error) => error.extensions)).toEqual([{ code: "UNAUTHENTICATED", reason }]);
      sse.dispose();
    }
  });

  it("ends the stream with UNAUTHENTICATED (SESSION_REVOKED) when its session logs out", async () => {
    const user = await createUser("NURSE");
    const session = await login(user.email, user.password);
    const sse = sseClient(stack.gatewayUrl, session.accessToken);
    const received = sseSubscribe(sse, `subscription { requestEvents { type } }`);
    await until(() => received.connected, 15_000, "the subscription");
    const { body } = await gql<{ logout: boolean }>(LOGOUT, { token: session.refreshToken });
    expect(body.data?.logout).toBe(true);
    await until(() => received.completed || received.failure !== null, 15_000, "the stream to end");
    expect(received.failure).toBeNull();
    expect(received.errors.map((error) => error.extensions)).toEqual([
      { code: "UNAUTHENTICATED", reason: "SESSION_REVOKED" },
    ]);
    // Subscribing again with the same token is refused the same way.
    const again = sseSubscribe(sse, `subscription { requestEvents { type } }`);
    await until(() => again.completed || again.failure !== null, 15_000, "the refusal");
    expect(again.errors.map((error) => error.extensions)).toEqual([
      { code: "UNAUTHENTICATED", reason: "SESSION_REVOKED" },
    ]);
    sse.dispose();
  });
});

describe("ward scoping", () => {
  it("gives a nurse of another ward none of this ward's events", async () => {
    const peds = await demoToken("nurse.peds@asky.dev");
    const pedsFixture = await fixtureFor("PEDIATRIA", peds);
    const sse = sseClient(stack.gatewayUrl, peds);
    const board = sseSubscribe<{ requestEvents: { request: { id: string; dispenser: { ward: string } } } }>(
      sse,
      `subscription { requestEvents { request { id dispenser { ward } } } }`,
    );
    await until(() => board.connected, 15_000, "her board");
    const forbidden = sseSubscribe(sse, `subscription { requestEvents(ward: "UTI-ADULTO") { type } }`);
    const request = await createRequest(fixture, nurse);
    const hidden = sseSubscribe(sse, STATUS, { id: request.id });
    // Her own ward's board is live once her own request reaches it.
    const own = await createRequest(pedsFixture, peds);
    await until(() => board.results.some((result) => result.requestEvents.request.id === own.id), 15_000, "her own");
    await changeStatus(request, "ACCEPTED", pharmacist);
    const ownAccepted = await changeStatus(own, "ACCEPTED", pharmacist);
    await until(() => board.results.length >= 2, 15_000, "her own second event");
    sse.dispose();
    expect(ownAccepted.id).toBe(own.id);
    expect(board.results.map((result) => result.requestEvents.request.dispenser.ward)).toEqual([
      "PEDIATRIA",
      "PEDIATRIA",
    ]);
    expect(forbidden.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(forbidden.completed).toBe(true);
    expect(hidden.errors.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    expect(hidden.results).toEqual([]);
  });
});

describe("subscriptions only", () => {
  it("refuses a query or a mutation with SUBSCRIPTIONS_ONLY and runs neither", async () => {
    const count = async () =>
      (
        await gql<{ requests: { totalCount: number } }>(
          `{ requests(mine: true, first: 1) { totalCount } }`,
          {},
          { token: nurse },
        )
      ).body.data!.requests.totalCount;
    const before = await count();
    const sse = sseClient(stack.gatewayUrl, nurse);
    const query = sseSubscribe(sse, `{ me { id } }`);
    const mutation = sseSubscribe(
      sse,
      `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`,
      {
        input: {
          kind: "MEDICATION",
          priority: "ROUTINE",
          dispenserId: fixture.dispenserId,
          items: [{ itemId: fixture.itemIds[0], quantity: 1 }],
        },
      },
    );
    await until(() => query.completed && mutation.completed, 15_000, "both refusals");
    sse.dispose();
    for (const refused of [query, mutation]) {
      expect(refused.results).toEqual([]);
      expect(refused.errors.map((error) => error.extensions)).toEqual([
        { code: "BAD_USER_INPUT", reason: "SUBSCRIPTIONS_ONLY" },
      ]);
    }
    expect(await count()).toBe(before);
  });
});
