/**
 * When the gateway cannot replay what a resumed subscription missed (more than
 * SUBSCRIPTION_REPLAY_MAX_EVENTS, here 1, on a gateway of this file's own), the client does not
 * skip the gap silently: it calls `resync` once (the app reloads), and the subscription goes on
 * from now with the next live event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startExtraGateway, type ExtraGateway } from "@asky/stack/testing";
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

type BoardEvent = RequestEventsSubscription["requestEvents"];

let gateway: ExtraGateway;
let nurse: TestClient;
let pharmacist: TestClient;

beforeAll(async () => {
  gateway = await startExtraGateway({ SUBSCRIPTION_REPLAY_MAX_EVENTS: "1" });
  nurse = await signedInClient("NURSE", { url: gateway.url });
  pharmacist = await signedInClient("PHARMACIST", { url: gateway.url });
}, 120_000);

afterAll(() => gateway?.stop());

describe("a resume the gateway cannot replay", () => {
  it("calls resync once and goes on from now", async () => {
    const ward = nurse.client.viewer!.ward!;
    const dispensers = await nurse.client.execute(WardDispensersDocument, { ward });
    const dispenserId = dispensers.dispensers.edges.find((edge) => edge.node.status === "ONLINE")!.node.id;
    const catalog = await nurse.client.execute(CatalogSearchDocument, { kind: "MEDICATION", first: 1 });
    const newRequest = (client: AskyClient = nurse.client) =>
      client.createRequest({
        kind: "MEDICATION",
        dispenserId,
        items: [{ itemId: catalog.catalog.edges[0]!.node.id, quantity: 1 }],
        note: "resync test",
      });
    const accept = (request: { id: string; version: number }) =>
      pharmacist.client.execute(ChangeRequestStatusDocument, {
        input: { requestId: request.id, status: "ACCEPTED", expectedVersion: request.version },
      });

    const events: BoardEvent[] = [];
    const resyncs: AskyClientError[] = [];
    const errors: AskyClientError[] = [];
    const stop = nurse.client.subscribe(
      RequestEventsDocument,
      {},
      {
        next: (data) => events.push(data.requestEvents),
        resync: (error) => resyncs.push(error),
        error: (error) => errors.push(error),
      },
    );
    await untilLive(
      (id) => events.some((event) => event.request.id === id),
      () => newRequest(),
    );

    nurse.sockets.offline = true;
    nurse.sockets.killAll();
    // Three events while away: more than the gateway replays.
    const missed = await newRequest();
    await accept(missed);
    const later = await newRequest();
    nurse.sockets.offline = false;

    await eventually(async () => resyncs.length > 0, 30_000, "the resync");
    expect(resyncs.map((error) => [error.code, error.reason])).toEqual([["BAD_USER_INPUT", "RESYNC_REQUIRED"]]);
    await accept(later);
    await eventually(
      async () => events.some((event) => event.request.id === later.id && event.status === "ACCEPTED"),
      20_000,
      "the live event after the resync",
    );
    stop();
    // It subscribed again from now (no `after`).
    expect(nurse.sockets.subscribes().at(-1)!.variables?.after ?? null).toBeNull();
    // The missed events were not slipped in silently: the app learnt of them by reloading.
    expect(events.filter((event) => event.request.id === missed.id)).toEqual([]);
    expect(errors).toEqual([]);
    expect(resyncs).toHaveLength(1);
  }, 120_000);
});
