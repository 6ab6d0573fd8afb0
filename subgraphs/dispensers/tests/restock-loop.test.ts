/**
 * The restock loop end to end, across both services and JetStream: a level falls under its
 * minimum → the dispensers service raises stock_low → the requests service opens one
 * RESTOCK → the pharmacy delivers it → the stock is back up, once, even when the delivery
 * event is seen twice.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { requestStatusChanged, SYSTEM_USER_ID } from "@asky/contracts";
import { demoToken, eventually, gql, testStack } from "@asky/stack/testing";
import { adminPool } from "./support.js";

const stack = testStack();

async function call<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const { body } = await gql<T>(query, variables, { token });
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

interface Restock {
  id: string;
  version: number;
  status: string;
  items: { quantity: number; item: { id: string } }[];
}

describe("restock loop", () => {
  it("opens one RESTOCK when a level crosses below min and adds its delivery to the stock once", async () => {
    const [admin, tech] = await Promise.all([demoToken("admin@asky.dev"), demoToken("tech@asky.dev")]);
    const { createDispenser } = await call<{ createDispenser: { id: string } }>(
      `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
      {
        input: {
          code: `PYX-TEST-${randomUUID().slice(0, 6).toUpperCase()}`,
          name: "Pyxis de teste",
          ward: "ONCOLOGIA",
          location: "Sala de testes",
        },
      },
      admin,
    );
    const dispenserId = createDispenser.id;
    const { catalog } = await call<{ catalog: { edges: { node: { id: string } }[] } }>(
      `{ catalog(kind: MATERIAL, first: 1) { edges { node { id } } } }`,
      {},
      tech,
    );
    const itemId = catalog.edges[0]!.node.id;
    const adjust = (delta: number, reason: string) =>
      call<{ adjustStock: { quantity: number; low: boolean } }>(
        `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity low } }`,
        { input: { dispenserId, itemId, delta, reason, note: "restock loop test", parLevel: 40, minLevel: 10 } },
        tech,
      );

    expect((await adjust(40, "RESTOCK")).adjustStock).toEqual({ quantity: 40, low: false });
    expect((await adjust(-35, "COUNT_CORRECTION")).adjustStock).toEqual({ quantity: 5, low: true });
    await adjust(-1, "COUNT_CORRECTION"); // still low: no second crossing, no second request (4 left)

    const openRestocks = () =>
      call<{ dispenser: { openRequests: (Restock & { kind: string })[] } }>(
        `query($id: ID!) { dispenser(id: $id) { openRequests { id kind status version items { quantity item { id } } } } }`,
        { id: dispenserId },
        tech,
      ).then(({ dispenser }) => dispenser.openRequests.filter((request) => request.kind === "RESTOCK"));
    let restock: Restock = await eventually(
      async () => (await openRestocks())[0] ?? null,
      15_000,
      "the RESTOCK request",
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await openRestocks()).toHaveLength(1);
    // Suggested at the crossing: par 40 − 5 on hand.
    expect(restock.items).toEqual([{ quantity: 35, item: { id: itemId } }]);

    for (const status of ["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"]) {
      const { changeRequestStatus } = await call<{ changeRequestStatus: Restock }>(
        `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version status items { quantity item { id } } } }`,
        { input: { requestId: restock.id, status, expectedVersion: restock.version } },
        tech,
      );
      restock = changeRequestStatus;
    }

    const level = () =>
      call<{ dispenser: { stock: { quantity: number; low: boolean; item: { id: string } }[] } }>(
        `query($id: ID!) { dispenser(id: $id) { stock { quantity low item { id } } } }`,
        { id: dispenserId },
        tech,
      ).then(({ dispenser }) => dispenser.stock.find((entry) => entry.item.id === itemId)!);
    const restored = await eventually(
      async () => ((await level()).quantity !== 4 ? level() : null),
      15_000,
      "the delivered quantity",
    );
    expect(restored).toMatchObject({ quantity: 39, low: false });

    // The same delivery seen again under another event id must add nothing. Built with the
    // contract, so the consumer takes it (a malformed one would be set aside, proving nothing),
    // and awaited until the consumer recorded it as processed.
    const duplicate = requestStatusChanged.build({
      requestId: restock.id,
      number: "REQ-DUPLICATE",
      kind: "RESTOCK",
      priority: "ROUTINE",
      ward: "ONCOLOGIA",
      dispenserId,
      requesterId: SYSTEM_USER_ID,
      assigneeId: null,
      status: "DELIVERED",
      previousStatus: "DISPATCHED",
      version: restock.version,
      actorId: SYSTEM_USER_ID,
      reasonCode: null,
      reason: null,
      items: [{ itemId, itemKind: "MATERIAL", quantity: 35 }],
    });
    const nc = await connect({ servers: stack.natsUrl });
    await jetstream(nc).publish(requestStatusChanged.subject, JSON.stringify(duplicate), { msgID: duplicate.id });
    await nc.drain();
    const pool = adminPool();
    try {
      await eventually(
        async () => {
          const { rows } = await pool.query(
            `select 1 from dispensers.processed_events where consumer = 'dispensers-restock-delivered' and event_id = $1`,
            [duplicate.id],
          );
          return rows.length > 0 ? true : null;
        },
        20_000,
        "the duplicate delivery processed",
      );
    } finally {
      await pool.end();
    }
    expect((await level()).quantity).toBe(39);
  }, 60_000);
});
