/**
 * Resuming with `after` replays what a client missed, within bounds: past a number of
 * missed events or an age the subscription ends with RESYNC_REQUIRED (reload, then
 * subscribe without `after`); identical resumes share their work; one user's replays run
 * a few at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gatewayMetrics } from "@asky/stack/testing";
import { changeStatus, createRequest, type Fixture } from "./support/requests-api.js";
import { wardTeam } from "./support/ward-team.js";
import { startExtraGateway } from "./support/extra-gateway.js";
import { RawSocket } from "./support/raw-socket.js";

const MAX_EVENTS = 5;
const MAX_AGE_SECONDS = 3;

type Gateway = Awaited<ReturnType<typeof startExtraGateway>>;
/** Small replay bounds. */
let bounded: Gateway;
/** Default bounds, one replay at a time per user. */
let oneAtATime: Gateway;
let fixture: Fixture;
let nurse: string;
let pharmacist: string;
const sockets: RawSocket[] = [];

async function open(gateway: Gateway, token: string): Promise<RawSocket> {
  const socket = RawSocket.open(gateway.url, token);
  sockets.push(socket);
  expect(await socket.acknowledged).toBe(true);
  return socket;
}

const BOARD = `subscription($dispenserId: ID, $after: String) {
  requestEvents(dispenserId: $dispenserId, after: $after) { cursor type status request { number requester { fullName } } }
}`;

interface BoardEvent {
  requestEvents: { cursor: string; type: string; status: string };
}

/** The lifecycle events of `events`: the turnaround clock may warn of another open request of the cabinet meanwhile. */
function lifecycle(socket: RawSocket, id: string): BoardEvent["requestEvents"][] {
  return events(socket, id).filter((event) => event.type === "CREATED" || event.type === "STATUS_CHANGED");
}

function events(socket: RawSocket, id: string): BoardEvent["requestEvents"][] {
  return socket.of(id, "next").flatMap((message) => {
    const data = (message.payload as { data?: BoardEvent | null }).data;
    return data ? [data.requestEvents] : [];
  });
}

/** A cursor of the newest event on the fixture's cabinet, read from a live subscription. */
async function currentCursor(gateway: Gateway): Promise<string> {
  const socket = await open(gateway, pharmacist);
  socket.subscribe("cursor", BOARD, { dispenserId: fixture.dispenserId });
  await eventually(async () => (await subscriptionsOpen(gateway)) >= 1, 5_000, "the cursor subscription");
  await createRequest(fixture, nurse);
  await eventually(async () => events(socket, "cursor").length > 0, 10_000, "a live event");
  socket.close();
  return events(socket, "cursor")[0]!.cursor;
}

async function metric(gateway: Gateway, pattern: RegExp): Promise<number> {
  return [...(await gatewayMetrics(gateway.url)).matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

const subscriptionsOpen = (gateway: Gateway) => metric(gateway, /^asky_gateway_active_subscriptions (-?\d+)$/gm);
/** Subgraph reads the gateway set out to make, sent or answered by an identical one in flight. */
const subgraphReads = (gateway: Gateway) =>
  metric(gateway, /^asky_gateway_subgraph_requests(?:_shared)?_total\{[^}]*\} (\d+)$/gm);

function expectResync(socket: RawSocket, id: string): void {
  expect(events(socket, id)).toEqual([]);
  expect(socket.errorsOf(id)).toEqual([
    expect.objectContaining({
      extensions: expect.objectContaining({ code: "BAD_USER_INPUT", reason: "RESYNC_REQUIRED" }),
    }),
  ]);
  expect(socket.of(id, "complete")).toHaveLength(1);
}

beforeAll(async () => {
  ({ fixture, nurse, pharmacist } = await wardTeam());
  [bounded, oneAtATime] = await Promise.all([
    startExtraGateway({
      SUBSCRIPTION_REPLAY_MAX_EVENTS: String(MAX_EVENTS),
      SUBSCRIPTION_REPLAY_MAX_AGE_SECONDS: String(MAX_AGE_SECONDS),
    }),
    startExtraGateway({ SUBSCRIPTION_REPLAYS_PER_USER: "1" }),
  ]);
}, 120_000);

afterAll(() => {
  for (const socket of sockets) socket.close();
  bounded?.stop();
  oneAtATime?.stop();
});

describe("replay bounds", () => {
  it("ends a resume that missed more events than the bound with RESYNC_REQUIRED", async () => {
    const cursor = await currentCursor(bounded);
    for (let i = 0; i <= MAX_EVENTS; i++) await createRequest(fixture, nurse);
    const socket = await open(bounded, pharmacist);
    socket.subscribe("resume", BOARD, { dispenserId: fixture.dispenserId, after: cursor });
    await eventually(async () => socket.of("resume", "complete").length > 0, 10_000, "the subscription to end");
    expectResync(socket, "resume");
    expect(socket.errorsOf("resume")[0]!.message).toMatch(new RegExp(`more than ${MAX_EVENTS} events`));
  });

  it("replays within the bounds, and ends a resume whose missed events are older than the bound", async () => {
    const cursor = await currentCursor(bounded);
    await createRequest(fixture, nurse);
    const socket = await open(bounded, pharmacist);
    socket.subscribe("fresh", BOARD, { dispenserId: fixture.dispenserId, after: cursor });
    await eventually(async () => events(socket, "fresh").length === 1, 10_000, "the replayed event");
    expect(socket.errorsOf("fresh")).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, (MAX_AGE_SECONDS + 1) * 1000));
    socket.subscribe("stale", BOARD, { dispenserId: fixture.dispenserId, after: cursor });
    await eventually(async () => socket.of("stale", "complete").length > 0, 10_000, "the stale subscription to end");
    expectResync(socket, "stale");
    expect(socket.errorsOf("stale")[0]!.message).toMatch(/go back more than/);
  });
});

describe("shared replays", () => {
  it("executes a missed event's payload once for identical resumes, however many", async () => {
    const cursor = await currentCursor(oneAtATime);
    let request = await createRequest(fixture, nurse);
    for (const status of ["ACCEPTED", "PREPARING"]) request = await changeStatus(request, status, pharmacist);

    const cost = async (subscribers: number): Promise<number> => {
      const before = await subgraphReads(oneAtATime);
      const socket = await open(oneAtATime, pharmacist);
      const ids = Array.from({ length: subscribers }, (_, i) => `r${i}`);
      for (const id of ids) socket.subscribe(id, BOARD, { dispenserId: fixture.dispenserId, after: cursor });
      await eventually(
        async () => ids.every((id) => lifecycle(socket, id).length === 3),
        15_000,
        "every resume to replay three events",
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await subgraphReads(oneAtATime);
      for (const id of ids)
        expect(lifecycle(socket, id).map((event) => event.type)).toEqual([
          "CREATED",
          "STATUS_CHANGED",
          "STATUS_CHANGED",
        ]);
      socket.close();
      await eventually(async () => (await subscriptionsOpen(oneAtATime)) === 0, 5_000, "the subscriptions to end");
      return after - before;
    };
    const one = await cost(1);
    const many = await cost(20);
    expect(one).toBeGreaterThan(0);
    expect(many).toBe(one);
  }, 60_000);

  it("runs one user's replays one after another when so configured", async () => {
    const cursor = await currentCursor(oneAtATime);
    for (let i = 0; i < 6; i++) await createRequest(fixture, nurse);
    const socket = await open(oneAtATime, pharmacist);
    // Different operations, so different replays that cannot share.
    socket.subscribe("cabinet", BOARD, { dispenserId: fixture.dispenserId, after: cursor });
    socket.subscribe(
      "everything",
      `subscription($after: String) { requestEvents(after: $after) { cursor request { number } } }`,
      { after: cursor },
    );
    await eventually(
      async () => socket.of("cabinet", "next").length >= 6 && socket.of("everything", "next").length >= 6,
      15_000,
      "both replays",
    );
    const order = socket.messages.filter((message) => message.type === "next").map((message) => message.id);
    const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
    expect(switches).toBe(1);
  }, 60_000);
});
