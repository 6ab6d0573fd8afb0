/**
 * Subscriptions through the real gateway survive their connection: after the socket is
 * killed and the network stays down while requests change, the board gets every missed event
 * once, in order (resumed with `after`); and when the access token expires under an open
 * socket (close 4401) the client refreshes and the subscription goes on.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@asky/stack/testing";
import type { AskyClient } from "../src/client.js";
import {
  CatalogSearchDocument,
  ChangeRequestStatusDocument,
  RequestEventsDocument,
  WardDispensersDocument,
  type RequestEventsSubscription,
} from "../src/documents.js";
import type { AskyClientError } from "../src/errors.js";
import { signedInClient, type TestClient } from "./support/client-of.js";
import { untilLive } from "./support/live.js";
import { withLifetime } from "./support/tokens.js";

type BoardEvent = RequestEventsSubscription["requestEvents"];

let nurse: TestClient;
let pharmacist: TestClient;
let dispenserId: string;
let itemIds: string[];
const stops: (() => void)[] = [];

beforeAll(async () => {
  nurse = await signedInClient("NURSE");
  pharmacist = await signedInClient("PHARMACIST");
  const dispensers = await nurse.client.execute(WardDispensersDocument, { ward: nurse.client.viewer!.ward });
  dispenserId = dispensers.dispensers.edges.find((edge) => edge.node.status === "ONLINE")!.node.id;
  const catalog = await nurse.client.execute(CatalogSearchDocument, { kind: "MEDICATION", first: 2 });
  itemIds = catalog.catalog.edges.map((edge) => edge.node.id);
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function board(client: AskyClient) {
  const events: BoardEvent[] = [];
  const errors: AskyClientError[] = [];
  const stop = client.subscribe(
    RequestEventsDocument,
    {},
    { next: (data) => events.push(data.requestEvents), error: (error) => errors.push(error) },
  );
  stops.push(stop);
  return { events, errors, stop };
}

async function newRequest(client: AskyClient): Promise<{ id: string; version: number }> {
  return client.createRequest({
    kind: "MEDICATION",
    priority: "URGENT",
    dispenserId,
    items: itemIds.map((itemId) => ({ itemId, quantity: 1 })),
    note: "subscription resume test",
  });
}

async function move(request: { id: string; version: number }, status: "ACCEPTED" | "PREPARING") {
  const data = await pharmacist.client.execute(ChangeRequestStatusDocument, {
    input: { requestId: request.id, status, expectedVersion: request.version },
  });
  return data.changeRequestStatus;
}

/** The lifecycle events of `ids` (a ward board also gets the SLA clock's and other tests' events). */
const lifecycleOf = (events: BoardEvent[], ids: string[]) =>
  events
    .filter((event) => ids.includes(event.request.id) && (event.type === "CREATED" || event.type === "STATUS_CHANGED"))
    .map((event) => `${ids.indexOf(event.request.id)}:${event.status}`);

function expectOnceAndInOrder(events: BoardEvent[]): void {
  const cursors = events.map((event) => event.cursor);
  expect(new Set(cursors).size).toBe(cursors.length);
  const positions = cursors.map((cursor) => Number(Buffer.from(cursor, "base64url").toString("utf8").slice(4)));
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
}

describe("a subscription whose socket is killed", () => {
  it("resumes after the last cursor and gets the missed events once, with no gap", async () => {
    const { events, errors } = board(nurse.client);
    await untilLive(
      (id) => events.some((event) => event.request.id === id),
      () => newRequest(nurse.client),
    );
    const first = await newRequest(nurse.client);
    const second = await newRequest(nurse.client);
    const ids = [first.id, second.id];
    await eventually(async () => lifecycleOf(events, ids).length === 2, 20_000, "both CREATED events");
    const lastBefore = events.at(-1)!.cursor;

    // The network goes: the socket dies without a close frame and reconnections fail.
    nurse.sockets.offline = true;
    nurse.sockets.killAll();
    const acceptedFirst = await move(first, "ACCEPTED");
    const acceptedSecond = await move(second, "ACCEPTED");
    await move(acceptedFirst, "PREPARING");
    const failedAttempts = nurse.sockets.sockets.length;
    await eventually(async () => nurse.sockets.sockets.length > failedAttempts, 10_000, "a failed reconnection");
    nurse.sockets.offline = false;

    const missed = ["0:PENDING", "1:PENDING", "0:ACCEPTED", "1:ACCEPTED", "0:PREPARING"];
    await eventually(async () => lifecycleOf(events, ids).length >= missed.length, 30_000, "the missed events");
    // One more change, live: once it is in, a replay delivered twice would be in too.
    await move(acceptedSecond, "PREPARING");
    await eventually(async () => lifecycleOf(events, ids).includes("1:PREPARING"), 20_000, "the live event");
    expect(lifecycleOf(events, ids)).toEqual([...missed, "1:PREPARING"]);
    expectOnceAndInOrder(events);
    expect(errors).toEqual([]);
    // It resubscribed with `after` = the last cursor it had delivered.
    const resumed = nurse.sockets.subscribes().slice(1);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.map((payload) => payload.variables?.after)).toContain(lastBefore);
  }, 90_000);
});

describe("a subscription whose access token expires", () => {
  it("is closed with 4401, refreshes once and goes on without a gap or a duplicate", async () => {
    const client = await signedInClient("NURSE");
    const signedIn = client.storage.get()!;
    // The socket opens with a token that expires in a few seconds (which the client does not
    // know, so it does not refresh ahead of time): the gateway closes it with 4401.
    client.storage.set({
      ...signedIn,
      accessToken: await withLifetime(signedIn.accessToken, 4),
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { events, errors } = board(client.client);
    await untilLive(
      (id) => events.some((event) => event.request.id === id),
      () => newRequest(client.client),
    );
    const before = await newRequest(client.client);
    await eventually(async () => lifecycleOf(events, [before.id]).length === 1, 20_000, "the CREATED event");

    await eventually(
      async () => client.sockets.sockets.some((entry) => entry.closeCode === 4401),
      20_000,
      "close 4401",
    );
    // Made while the client refreshes and reconnects: the resumed subscription replays it.
    const during = await move(before, "ACCEPTED");
    await eventually(async () => lifecycleOf(events, [before.id]).length === 2, 20_000, "the ACCEPTED event");
    await move(during, "PREPARING");
    await eventually(async () => lifecycleOf(events, [before.id]).length === 3, 20_000, "the PREPARING event");

    expect(lifecycleOf(events, [before.id])).toEqual(["0:PENDING", "0:ACCEPTED", "0:PREPARING"]);
    expectOnceAndInOrder(events);
    expect(errors).toEqual([]);
    expect(client.wire.count("RefreshSession")).toBe(1);
    expect(client.storage.get()!.accessToken).not.toBe(signedIn.accessToken);
    expect(client.sockets.sockets.filter((entry) => entry.closeCode === 4401)).toHaveLength(1);
  }, 90_000);
});
