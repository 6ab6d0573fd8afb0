/**
 * The connection state of a subscription against a real gateway, on a quiet feed (a
 * request nobody moves, so no event ever says the feed is back): connecting, then
 * connected from the transport itself; reconnecting while the gateway is down; connected
 * again once it is back; closed when stopped. Over SSE `subscribed` says the stream was
 * accepted; over WebSockets it never comes (graphql-ws acknowledges no subscribe).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@asky/stack/testing";
import { CatalogSearchDocument, RequestStatusChangedDocument, WardDispensersDocument } from "../src/documents.js";
import type { ConnectionState } from "../src/subscriptions/resumable-subscription.js";
import { signedInClient } from "./support/client-of.js";
import { restartableGateway, type RestartableGateway } from "./support/restartable-gateway.js";

let gateway: RestartableGateway;

beforeAll(async () => {
  gateway = await restartableGateway();
}, 120_000);

afterAll(() => gateway?.stop());

describe.each(["ws", "sse"] as const)("the connection state over %s", (transport) => {
  it("follows the transport across a gateway restart with no event at all", { timeout: 120_000 }, async () => {
    const { client } = await signedInClient("NURSE", {
      url: gateway.url,
      transport,
      reconnect: { baseDelayMs: 100, maxDelayMs: 500 },
    });
    const ward = client.viewer!.ward!;
    const dispensers = await client.execute(WardDispensersDocument, { ward });
    const dispenserId = dispensers.dispensers.edges.find((edge) => edge.node.status === "ONLINE")!.node.id;
    const catalog = await client.execute(CatalogSearchDocument, { kind: "MEDICATION", first: 1 });
    const request = await client.createRequest({
      kind: "MEDICATION",
      dispenserId,
      items: [{ itemId: catalog.catalog.edges[0]!.node.id, quantity: 1 }],
      note: "connection state test",
    });
    const states: ConnectionState[] = [];
    let subscribed = 0;
    const events: unknown[] = [];
    // Her own new request, which nobody moves: the subscription stays quiet.
    const stop = client.subscribe(
      RequestStatusChangedDocument,
      { requestId: request.id },
      {
        next: (data) => events.push(data),
        error: (error) => states.push(`error:${error.code}` as ConnectionState),
        connection: (state) => states.push(state),
        subscribed: () => subscribed++,
      },
    );
    try {
      await eventually(async () => states.includes("connected"), 30_000, "connected");
      expect(states).toEqual(["connecting", "connected"]);
      expect(subscribed).toBe(transport === "sse" ? 1 : 0);

      await gateway.stop();
      await eventually(async () => states.at(-1) === "reconnecting", 30_000, "reconnecting");
      await gateway.start();
      await eventually(async () => states.at(-1) === "connected", 60_000, "connected again");
      // Reconnecting until the transport was back, whatever the number of attempts meanwhile.
      expect(states.slice(0, 3)).toEqual(["connecting", "connected", "reconnecting"]);
      expect(states.filter((state) => state !== "reconnecting" && state !== "connected")).toEqual(["connecting"]);
      expect(subscribed).toBe(transport === "sse" ? 2 : 0);
      expect(events).toEqual([]);
    } finally {
      stop();
      client.dispose();
    }
    expect(states.at(-1)).toBe("closed");
  });
});
