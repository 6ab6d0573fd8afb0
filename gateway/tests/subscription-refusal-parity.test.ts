/**
 * Every subscribe-time refusal, over graphql-ws and over SSE (graphql-sse), through the real
 * gateway: the same coded error on both transports, the operation ended (an `error` message;
 * a `next` error then `complete`), and nothing delivered for it afterwards. A refusal left out
 * (an unknown cabinet, an id that is no id) used to leave the subscription open and silent
 * for good, on both transports.
 */
import { randomUUID } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoToken, fixtureFor, testStack } from "@asky/stack/testing";
import { RawSocket, type GraphQLErrorShape } from "./support/raw-socket.js";
import { changeStatus, createRequest, type Fixture } from "./support/requests-api.js";
import { sseClient, sseSubscribe } from "./support/sse-client.js";
import { wardTeam } from "./support/ward-team.js";
import { until } from "./support/ws-client.js";

const stack = testStack();

const STATUS = `subscription($id: ID!) { requestStatusChanged(requestId: $id) { status request { id } } }`;
const BOARD = `subscription($ward: String, $dispenserId: ID, $after: String) {
  requestEvents(ward: $ward, dispenserId: $dispenserId, after: $after) { status request { id } }
}`;
const ALERTS = `subscription($ward: String, $dispenserId: ID) { stockLow(ward: $ward, dispenserId: $dispenserId) { ward } }`;
const OWN_BOARD = `subscription { requestEvents { request { id } } }`;

interface Refusal {
  name: string;
  query: string;
  variables: () => Record<string, unknown>;
  /** What extensions must hold, on both transports alike. */
  expected: Record<string, unknown>;
}

let team: { nurse: string; pharmacist: string; fixture: Fixture };
/** A nurse of PEDIATRIA: every case below asks for something she may not follow. */
let peds: string;
let pedsFixture: Fixture;
/** A request of UTI-ADULTO, which she may not see: a new PENDING one for each test. */
let hiddenRequest: { id: string; version: number };

const refusals: Refusal[] = [
  {
    name: "unknown request",
    query: STATUS,
    variables: () => ({ id: randomUUID() }),
    expected: { code: "NOT_FOUND" },
  },
  {
    name: "another ward's request",
    query: STATUS,
    variables: () => ({ id: hiddenRequest.id }),
    expected: { code: "NOT_FOUND" },
  },
  {
    name: "malformed request id",
    query: STATUS,
    variables: () => ({ id: "not-a-request'; --" }),
    expected: { code: "BAD_USER_INPUT", argument: "requestId" },
  },
  {
    name: "another ward's board",
    query: BOARD,
    variables: () => ({ ward: "UTI-ADULTO" }),
    expected: { code: "FORBIDDEN" },
  },
  {
    name: "another ward's stock alerts",
    query: ALERTS,
    variables: () => ({ ward: "UTI-ADULTO" }),
    expected: { code: "FORBIDDEN" },
  },
  {
    name: "board of an unknown cabinet",
    query: BOARD,
    variables: () => ({ dispenserId: randomUUID() }),
    expected: { code: "NOT_FOUND" },
  },
  {
    name: "stock alerts of an unknown cabinet",
    query: ALERTS,
    variables: () => ({ dispenserId: randomUUID() }),
    expected: { code: "NOT_FOUND" },
  },
  {
    name: "board of another ward's cabinet",
    query: BOARD,
    variables: () => ({ dispenserId: team.fixture.dispenserId }),
    expected: { code: "FORBIDDEN" },
  },
  {
    name: "stock alerts of another ward's cabinet",
    query: ALERTS,
    variables: () => ({ dispenserId: team.fixture.dispenserId }),
    expected: { code: "FORBIDDEN" },
  },
  {
    name: "board of a malformed cabinet id",
    query: BOARD,
    variables: () => ({ dispenserId: "PYX-UTI-01" }),
    expected: { code: "BAD_USER_INPUT", argument: "dispenserId" },
  },
  {
    name: "stock alerts of a malformed cabinet id",
    query: ALERTS,
    variables: () => ({ dispenserId: "" }),
    expected: { code: "BAD_USER_INPUT", argument: "dispenserId" },
  },
  {
    name: "malformed cursor",
    query: BOARD,
    variables: () => ({ after: "not-a-cursor" }),
    expected: { code: "BAD_USER_INPUT", argument: "after" },
  },
];

beforeAll(async () => {
  team = await wardTeam();
  peds = await demoToken("nurse.peds@asky.dev");
  pedsFixture = await fixtureFor("PEDIATRIA", peds);
});

beforeEach(async () => {
  hiddenRequest = await createRequest(team.fixture, team.nurse);
});

/** What one transport told a subscriber: errors (flattened), payloads, and how it ended. */
interface Outcome {
  errors: GraphQLErrorShape[];
  results: unknown[];
  ended: boolean;
}

/** graphql-ws's own client; an `error` message reaches the sink as the list of errors. */
function wsOutcome(client: Client, query: string, variables: Record<string, unknown>): Outcome {
  const outcome: Outcome = { errors: [], results: [], ended: false };
  client.subscribe(
    { query, variables },
    {
      next: (value) => {
        outcome.errors.push(...((value.errors ?? []) as GraphQLErrorShape[]));
        if (value.data) outcome.results.push(value.data);
      },
      error: (error) => {
        if (Array.isArray(error)) outcome.errors.push(...(error as GraphQLErrorShape[]));
        else outcome.errors.push({ message: String((error as { reason?: string }).reason ?? error) });
        outcome.ended = true;
      },
      complete: () => {
        outcome.ended = true;
      },
    },
  );
  return outcome;
}

const shape = (errors: GraphQLErrorShape[]) => errors.map(({ message, extensions }) => ({ message, extensions }));

/**
 * Events each refused subscription would have matched had it been accepted, then one of her
 * own ward's, which `ownArrived` tells once it reached the subscriber's control subscription.
 */
async function publishThenOwn(ownArrived: (id: string) => boolean): Promise<void> {
  await createRequest(team.fixture, team.nurse);
  hiddenRequest = await changeStatus(hiddenRequest, "ACCEPTED", team.pharmacist);
  const own = await createRequest(pedsFixture, peds);
  await until(() => ownArrived(own.id), 20_000, "her own ward's event on the control subscription");
}

describe("subscribe-time refusals", () => {
  it("are the same coded error over graphql-ws and SSE, end the operation, and deliver nothing after", async () => {
    const ws = createClient({
      url: stack.gatewayUrl.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${peds}` },
    });
    const sse = sseClient(stack.gatewayUrl, peds);
    const cases = refusals.map((refusal) => {
      const variables = refusal.variables();
      return {
        refusal,
        ws: wsOutcome(ws, refusal.query, variables),
        sse: sseSubscribe(sse, refusal.query, variables),
      };
    });
    const control = sseSubscribe<{ requestEvents: { request: { id: string } } }>(sse, OWN_BOARD);
    await until(() => cases.every((c) => c.ws.ended && c.sse.completed), 20_000, "every refusal on both transports");
    await until(() => control.connected, 15_000, "the control stream");

    for (const { refusal, ws: overWs, sse: overSse } of cases) {
      expect(overWs.errors, refusal.name).toHaveLength(1);
      expect(overWs.errors[0]?.extensions, refusal.name).toMatchObject(refusal.expected);
      expect(shape(overSse.errors), refusal.name).toEqual(shape(overWs.errors));
      expect(overSse.failure, refusal.name).toBeNull();
    }

    await publishThenOwn((id) => control.results.some((result) => result.requestEvents.request.id === id));
    for (const { refusal, ws: overWs, sse: overSse } of cases) {
      expect(overWs.results, refusal.name).toEqual([]);
      expect(overSse.results, refusal.name).toEqual([]);
      expect(overWs.errors, refusal.name).toHaveLength(1);
      expect(overSse.errors, refusal.name).toHaveLength(1);
    }
    await ws.dispose();
    sse.dispose();
  }, 120_000);

  it("end with exactly one `error` message on the wire, and no `next` or `complete` for the id afterwards", async () => {
    const socket = RawSocket.open(stack.gatewayUrl, peds);
    expect(await socket.acknowledged).toBe(true);
    refusals.forEach((refusal, index) => socket.subscribe(`r${index}`, refusal.query, refusal.variables()));
    socket.subscribe("control", OWN_BOARD);
    await until(
      () => refusals.every((_, index) => socket.of(`r${index}`).length > 0),
      20_000,
      "an answer to every refused subscribe",
    );
    await publishThenOwn((id) =>
      socket.of("control", "next").some((message) => JSON.stringify(message.payload).includes(id)),
    );
    socket.close();
    await socket.closed;
    refusals.forEach((refusal, index) => {
      const messages = socket.of(`r${index}`);
      expect(
        messages.map((message) => message.type),
        refusal.name,
      ).toEqual(["error"]);
      expect(socket.errorsOf(`r${index}`)[0]?.extensions, refusal.name).toMatchObject(refusal.expected);
    });
  }, 120_000);
});
