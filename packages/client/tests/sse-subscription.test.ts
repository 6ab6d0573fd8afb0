/**
 * The client's subscriptions over SSE (transport "sse", POST /graphql/stream) against the real
 * gateway: the same events as a WebSocket subscriber of the same board, once each and in the
 * same order; a cut stream resumes after the last cursor with no gap; an expired token ends
 * the stream with UNAUTHENTICATED, and the client refreshes and resumes.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually, testStack } from "@asky/stack/testing";
import { createAskyClient, type AskyClient } from "../src/client.js";
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
import { streamControl } from "./support/wire.js";

type BoardEvent = RequestEventsSubscription["requestEvents"];

let pharmacist: TestClient;
let dispenserId: string;
let itemIds: string[];
const stops: (() => void)[] = [];

beforeAll(async () => {
  pharmacist = await signedInClient("PHARMACIST");
  const dispensers = await pharmacist.client.execute(WardDispensersDocument, { ward: "UTI-ADULTO" });
  dispenserId = dispensers.dispensers.edges.find((edge) => edge.node.status === "ONLINE")!.node.id;
  const catalog = await pharmacist.client.execute(CatalogSearchDocument, { kind: "MEDICATION", first: 2 });
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
  return { events, errors };
}

const newRequest = (client: AskyClient) =>
  client.createRequest({
    kind: "MEDICATION",
    priority: "URGENT",
    dispenserId,
    items: itemIds.map((itemId) => ({ itemId, quantity: 1 })),
    note: "sse subscription test",
  });

async function move(request: { id: string; version: number }, status: "ACCEPTED" | "PREPARING") {
  const data = await pharmacist.client.execute(ChangeRequestStatusDocument, {
    input: { requestId: request.id, status, expectedVersion: request.version },
  });
  return data.changeRequestStatus;
}

const lifecycleOf = (events: BoardEvent[], ids: string[]) =>
  events
    .filter((event) => ids.includes(event.request.id) && (event.type === "CREATED" || event.type === "STATUS_CHANGED"))
    .map((event) => `${ids.indexOf(event.request.id)}:${event.status}`);

const cursorsOnce = (events: BoardEvent[]) => new Set(events.map((event) => event.cursor)).size === events.length;

describe("subscriptions over SSE", () => {
  it("get the same events as over WebSocket, once each and in the same order", async () => {
    const overSse = await signedInClient("NURSE", { transport: "sse" });
    const overWs = await signedInClient("NURSE");
    const sse = board(overSse.client);
    const ws = board(overWs.client);
    const seenBy = (events: BoardEvent[], id: string) => events.some((event) => event.request.id === id);
    await untilLive(
      (id) => seenBy(sse.events, id) && seenBy(ws.events, id),
      () => newRequest(overWs.client),
    );
    const first = await newRequest(overSse.client);
    await eventually(
      async () => lifecycleOf(sse.events, [first.id]).length === 1 && lifecycleOf(ws.events, [first.id]).length === 1,
      20_000,
      "the CREATED event on both",
    );
    const second = await newRequest(overWs.client);
    await move(await move(first, "ACCEPTED"), "PREPARING");
    await move(second, "ACCEPTED");
    const expected = ["0:PENDING", "1:PENDING", "0:ACCEPTED", "0:PREPARING", "1:ACCEPTED"];
    const ids = [first.id, second.id];
    await eventually(
      async () =>
        lifecycleOf(sse.events, ids).length === expected.length &&
        lifecycleOf(ws.events, ids).length === expected.length,
      30_000,
      "every event on both",
    );
    expect(lifecycleOf(sse.events, ids)).toEqual(expected);
    expect(lifecycleOf(ws.events, ids)).toEqual(expected);
    const since = (events: BoardEvent[]) => events.slice(events.findIndex((event) => event.request.id === first.id));
    expect(since(sse.events).map((event) => event.cursor)).toEqual(since(ws.events).map((event) => event.cursor));
    expect(cursorsOnce(sse.events)).toBe(true);
    expect([sse.errors, ws.errors]).toEqual([[], []]);
    // Nothing went over a WebSocket for the SSE client.
    expect(overSse.sockets.sockets).toEqual([]);
  }, 90_000);

  it("resume after a cut stream with `after` and miss nothing", async () => {
    const streams = streamControl();
    const nurse = await signedInClient("NURSE", { transport: "sse" });
    // Only the subscription's fetch is cut; the client's operations keep their own.
    const client = createAskyClient({
      url: testStack().gatewayUrl,
      transport: "sse",
      storage: nurse.storage,
      fetch: streams.fetch,
      reconnect: { baseDelayMs: 50, maxDelayMs: 250 },
    });
    const { events, errors } = board(client);
    await untilLive(
      (id) => events.some((event) => event.request.id === id),
      () => newRequest(nurse.client),
    );
    const request = await newRequest(nurse.client);
    await eventually(async () => lifecycleOf(events, [request.id]).length === 1, 20_000, "the CREATED event");
    const lastBefore = events.at(-1)!.cursor;

    streams.offline = true;
    streams.cutAll();
    const accepted = await move(request, "ACCEPTED");
    await move(accepted, "PREPARING");
    streams.offline = false;

    await eventually(async () => lifecycleOf(events, [request.id]).length === 3, 30_000, "the missed events");
    expect(lifecycleOf(events, [request.id])).toEqual(["0:PENDING", "0:ACCEPTED", "0:PREPARING"]);
    expect(cursorsOnce(events)).toBe(true);
    expect(errors).toEqual([]);
    expect(streams.streams.slice(1).map((body) => body.variables?.after)).toContain(lastBefore);
  }, 90_000);

  it("refresh once when the token expires (UNAUTHENTICATED) and go on", async () => {
    const nurse = await signedInClient("NURSE", { transport: "sse" });
    const signedIn = nurse.storage.get()!;
    nurse.storage.set({
      ...signedIn,
      accessToken: await withLifetime(signedIn.accessToken, 4),
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { events, errors } = board(nurse.client);
    await untilLive(
      (id) => events.some((event) => event.request.id === id),
      () => newRequest(nurse.client),
    );
    const request = await newRequest(nurse.client);
    await eventually(async () => lifecycleOf(events, [request.id]).length === 1, 20_000, "the CREATED event");
    // The operation above already refreshed if the server refused its token; wait for the stream's.
    await eventually(async () => nurse.wire.count("RefreshSession") >= 1, 20_000, "the refresh");
    const accepted = await move(request, "ACCEPTED");
    await move(accepted, "PREPARING");
    await eventually(async () => lifecycleOf(events, [request.id]).length === 3, 20_000, "the later events");
    expect(lifecycleOf(events, [request.id])).toEqual(["0:PENDING", "0:ACCEPTED", "0:PREPARING"]);
    expect(cursorsOnce(events)).toBe(true);
    expect(errors).toEqual([]);
    expect(nurse.wire.count("RefreshSession")).toBe(1);
  }, 90_000);
});
