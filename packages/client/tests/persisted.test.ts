/**
 * `persisted: true` against a gateway with TRUSTED_DOCUMENTS=required (a process of this
 * file's own over the test stack): every SDK operation goes by hash alone, over HTTP,
 * graphql-ws and SSE, and works; an ad-hoc document is refused with PERSISTED_QUERY_REQUIRED
 * and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createUser, eventually, startExtraGateway, type ExtraGateway } from "@asky/stack/testing";
import { createAskyClient, type AskyClient } from "../src/client.js";
import {
  CatalogSearchDocument,
  ChangeRequestStatusDocument,
  RequestEventsDocument,
  WardBoardDocument,
  WardDispensersDocument,
  type RequestEventsSubscription,
} from "../src/documents.js";
import type { AskyClientError } from "../src/errors.js";
import { untilLive } from "./support/live.js";
import { countingFetch, socketControl, type CountingFetch, type SocketControl } from "./support/wire.js";

let gateway: ExtraGateway;

beforeAll(async () => {
  gateway = await startExtraGateway({ TRUSTED_DOCUMENTS: "required" });
}, 120_000);

afterAll(() => gateway?.stop());

async function persistedClient(
  role: "NURSE" | "PHARMACIST",
  transport: "ws" | "sse" = "ws",
): Promise<{ client: AskyClient; wire: CountingFetch; sockets: SocketControl }> {
  const user = await createUser(role);
  const wire = countingFetch();
  const sockets = socketControl();
  const client = createAskyClient({
    url: gateway.url,
    persisted: true,
    transport,
    fetch: wire.fetch,
    webSocketImpl: sockets.WebSocket,
  });
  await client.signIn(user.email, user.password);
  return { client, wire, sockets };
}

/** By hash, without the text (graphql-ws requires a string `query`: it goes as ""). */
const hashOnly = (body: { query?: string; extensions?: unknown }) =>
  (body.query === undefined || body.query === "") &&
  /^[0-9a-f]{64}$/.test(
    String((body.extensions as { persistedQuery?: { sha256Hash?: string } })?.persistedQuery?.sha256Hash),
  );

describe("persisted operations under TRUSTED_DOCUMENTS=required", () => {
  it("run by hash over HTTP, WebSocket and SSE", async () => {
    const nurse = await persistedClient("NURSE");
    const overSse = await persistedClient("NURSE", "sse");
    const pharmacist = await persistedClient("PHARMACIST");
    const ward = nurse.client.viewer!.ward!;

    const dispensers = await nurse.client.execute(WardDispensersDocument, { ward });
    const dispenserId = dispensers.dispensers.edges.find((edge) => edge.node.status === "ONLINE")!.node.id;
    const catalog = await nurse.client.execute(CatalogSearchDocument, { kind: "MEDICATION", first: 1 });
    const newRequest = () =>
      nurse.client.createRequest({
        kind: "MEDICATION",
        dispenserId,
        items: [{ itemId: catalog.catalog.edges[0]!.node.id, quantity: 1 }],
        note: "persisted operations test",
      });
    const received: Record<"ws" | "sse", RequestEventsSubscription["requestEvents"][]> = { ws: [], sse: [] };
    const errors: AskyClientError[] = [];
    const stops = (["ws", "sse"] as const).map((transport) =>
      (transport === "ws" ? nurse : overSse).client.subscribe(
        RequestEventsDocument,
        {},
        {
          next: (data) => received[transport].push(data.requestEvents),
          error: (error) => errors.push(error),
        },
      ),
    );

    const seenBy = (transport: "ws" | "sse", id: string) =>
      received[transport].some((event) => event.request.id === id);
    await untilLive((id) => seenBy("ws", id) && seenBy("sse", id), newRequest);
    const created = await newRequest();
    await pharmacist.client.execute(ChangeRequestStatusDocument, {
      input: { requestId: created.id, status: "ACCEPTED", expectedVersion: created.version },
    });
    const statuses = (transport: "ws" | "sse") =>
      received[transport].filter((event) => event.request.id === created.id).map((event) => event.status);
    await eventually(
      async () => statuses("ws").length === 2 && statuses("sse").length === 2,
      30_000,
      "both events on both transports",
    );
    for (const stop of stops) stop();
    expect([statuses("ws"), statuses("sse")]).toEqual([
      ["PENDING", "ACCEPTED"],
      ["PENDING", "ACCEPTED"],
    ]);
    expect(errors).toEqual([]);
    const board = await nurse.client.execute(WardBoardDocument, { ward });
    expect(board.requests.edges.map((edge) => edge.node.id)).toContain(created.id);

    // Nothing but hashes went out: sign-in, queries, mutations, and the socket's subscribe.
    for (const body of [...nurse.wire.bodies, ...pharmacist.wire.bodies, ...overSse.wire.bodies]) {
      expect(hashOnly(body), JSON.stringify(body)).toBe(true);
    }
    const subscribes = nurse.sockets.subscribes();
    expect(subscribes.length).toBeGreaterThan(0);
    for (const payload of subscribes) expect(hashOnly(payload), JSON.stringify(payload)).toBe(true);
  }, 120_000);

  it("refuse an ad-hoc document with PERSISTED_QUERY_REQUIRED", async () => {
    const nurse = await persistedClient("NURSE");
    const adHoc = parse("query Nickname { me { nickname } }") as TypedDocumentNode<{ me: { nickname: string } }>;
    await expect(nurse.client.execute(adHoc, {})).rejects.toMatchObject({
      name: "AskyClientError",
      code: "PERSISTED_QUERY_REQUIRED",
      status: 400,
    });
    // Sent once, as text (it has no hash), and not retried.
    expect(nurse.wire.bodies.filter((body) => body.operationName === "Nickname")).toHaveLength(1);
  }, 60_000);
});
