/**
 * A ward board's subscription across a gateway restart (a gateway of the test's own, stopped
 * with SIGTERM and started again at the same URL while requests keep changing through the
 * stack's gateway): the client reconnects by itself, gets what happened while the gateway was
 * down once and in order, then the live events.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { restartableGateway, type RestartableGateway } from "./support/restartable-gateway.js";

type BoardEvent = RequestEventsSubscription["requestEvents"];

let gateway: RestartableGateway;
let writer: TestClient;
let pharmacist: TestClient;

beforeAll(async () => {
  gateway = await restartableGateway();
  writer = await signedInClient("NURSE");
  pharmacist = await signedInClient("PHARMACIST");
}, 120_000);

afterAll(() => gateway?.stop());

describe("a subscription across a gateway restart", () => {
  it("reconnects by itself and gets the events of the downtime once, in order, then the live ones", async () => {
    const ward = writer.client.viewer!.ward!;
    const dispensers = await writer.client.execute(WardDispensersDocument, { ward });
    const dispenserId = dispensers.dispensers.edges.find((edge) => edge.node.status === "ONLINE")!.node.id;
    const catalog = await writer.client.execute(CatalogSearchDocument, { kind: "MEDICATION", first: 1 });
    const newRequest = () =>
      writer.client.createRequest({
        kind: "MEDICATION",
        dispenserId,
        items: [{ itemId: catalog.catalog.edges[0]!.node.id, quantity: 1 }],
        note: "gateway restart test",
      });
    const move = async (request: { id: string; version: number }, status: "ACCEPTED" | "PREPARING") =>
      (
        await pharmacist.client.execute(ChangeRequestStatusDocument, {
          input: { requestId: request.id, status, expectedVersion: request.version },
        })
      ).changeRequestStatus;

    // The board: another nurse of the ward, through the gateway that restarts.
    const board: AskyClient = (
      await signedInClient("NURSE", { url: gateway.url, reconnect: { baseDelayMs: 100, maxDelayMs: 500 } })
    ).client;
    const events: BoardEvent[] = [];
    const errors: AskyClientError[] = [];
    const reconnects: AskyClientError[] = [];
    const stop = board.subscribe(
      RequestEventsDocument,
      {},
      {
        next: (data) => events.push(data.requestEvents),
        error: (error) => errors.push(error),
        reconnecting: (error) => reconnects.push(error),
      },
    );
    await untilLive((id) => events.some((event) => event.request.id === id), newRequest);
    const request = await newRequest();
    await eventually(async () => events.some((event) => event.request.id === request.id), 20_000, "CREATED");

    await gateway.stop();
    const accepted = await move(request, "ACCEPTED");
    const preparing = await move(accepted, "PREPARING");
    await gateway.start();

    await eventually(
      async () => events.some((event) => event.request.id === request.id && event.status === "PREPARING"),
      60_000,
      "the events of the downtime",
    );
    const live = await newRequest();
    await eventually(async () => events.some((event) => event.request.id === live.id), 20_000, "a live event");
    stop();

    const lifecycle = events
      .filter(
        (event) => event.request.id === request.id && event.type !== "SLA_WARNING" && event.type !== "SLA_BREACHED",
      )
      .map((event) => event.status);
    expect(lifecycle).toEqual(["PENDING", "ACCEPTED", "PREPARING"]);
    expect(preparing.status).toBe("PREPARING");
    const cursors = events.map((event) => event.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(errors).toEqual([]);
    // It went through at least one failed reconnection while the gateway was down.
    expect(reconnects.length).toBeGreaterThan(0);
  }, 180_000);
});
