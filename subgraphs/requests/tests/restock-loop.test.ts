import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { createEnvelope, stockLow as stockLowEvent, type CatalogItemKind } from "@asky/contracts";
import { ensureStream } from "@asky/events";
import { createLogger } from "@asky/runtime";
import {
  adminPool,
  change,
  dipirona,
  eventually,
  newCabinet,
  ok,
  paracetamol,
  pharmacist,
  syringe,
  type RequestView,
} from "./support.js";

const pool = adminPool();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: inject("natsUrl") });
  await ensureStream(nc, { replicas: 1, logger: createLogger("restock-loop-test", "silent") });
});
afterAll(async () => {
  await nc.close();
  await pool.end();
});

interface StockLowOptions {
  id?: string;
  msgId?: string;
  itemKind?: CatalogItemKind;
  unitCost?: number;
}

/** Publishes asky.dispensers.stock_low as the dispensers service does: built by its contract. */
async function stockLow(dispenserId: string, itemId: string, quantity: number, options: StockLowOptions = {}) {
  const envelope = stockLowEvent.build(
    {
      stockLevelId: randomUUID(),
      dispenserId,
      dispenserCode: "PYX-TEST",
      ward: "UTI-ADULTO",
      itemId,
      itemKind: options.itemKind ?? "MEDICATION",
      unitCost: options.unitCost ?? 0.5,
      quantity,
      minLevel: 5,
      parLevel: 20,
      suggestedRestockQuantity: 20 - quantity,
    },
    options.id ? { id: options.id } : {},
  );
  await jetstream(nc).publish(envelope.subject, JSON.stringify(envelope), { msgID: options.msgId ?? envelope.id });
  return envelope.id;
}

/** A stock_low as written before it carried the item's kind and price. */
async function olderStockLow(dispenserId: string, itemId: string, quantity: number) {
  const envelope = createEnvelope(stockLowEvent.subject, null);
  const data = {
    eventId: envelope.id,
    stockLevelId: randomUUID(),
    dispenserId,
    dispenserCode: "PYX-TEST",
    ward: "UTI-ADULTO",
    itemId,
    quantity,
    minLevel: 5,
    parLevel: 20,
    suggestedRestockQuantity: 20 - quantity,
    at: envelope.occurredAt,
  };
  await jetstream(nc).publish(envelope.subject, JSON.stringify({ ...envelope, data }), { msgID: envelope.id });
  return envelope.id;
}

/** The RESTOCK an event opened, read from the requests schema (no other service involved). */
async function restockOpenedBy(eventId: string) {
  const { rows } = await pool.query<{
    id: string;
    total_cost: string;
    item_id: string;
    item_kind: string;
    unit_cost: string;
    quantity: number;
  }>(
    `select r.id, r.total_cost, i.item_id, i.item_kind, i.unit_cost, i.quantity
       from requests.requests r join requests.request_items i on i.request_id = r.id
      where r.source_event_id = $1`,
    [eventId],
  );
  return rows;
}

const openRequests = async (dispenserId: string) =>
  (
    await ok<{ dispenser: { openRequests: RequestView[] } }>(
      pharmacist,
      `query($id: ID!) { dispenser(id: $id) { openRequests { id kind status version priority totalCost requester { id } items { quantity item { id } } } } }`,
      { id: dispenserId },
    )
  ).dispenser.openRequests;

async function processed(eventId: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `select 1 from requests.processed_events where consumer = 'requests-stock-low' and event_id = $1`,
    [eventId],
  );
  return rowCount === 1;
}

describe("restock loop (asky.dispensers.stock_low → RESTOCK)", () => {
  it("opens one RESTOCK per cabinet, grows it while PENDING, and ignores redeliveries", async () => {
    const cabinet = await newCabinet();
    const first = await stockLow(cabinet, syringe, 0);
    const [restock] = await eventually(
      async () => {
        const open = await openRequests(cabinet);
        return open.length > 0 ? open : undefined;
      },
      20_000,
      "restock request",
    );
    expect(restock).toMatchObject({
      kind: "RESTOCK",
      status: "PENDING",
      version: 1,
      priority: "URGENT",
      items: [{ quantity: 20, item: { id: syringe } }],
    });
    const { rows } = await pool.query(`select requester_id, source_event_id from requests.requests where id = $1`, [
      restock!.id,
    ]);
    expect(rows[0]).toEqual({ requester_id: "00000000-0000-4000-8000-00000000a5c1", source_event_id: first });

    // A second item low on the same cabinet joins the pending restock.
    const second = await stockLow(cabinet, dipirona, 8);
    await eventually(() => processed(second), 20_000, "second event");
    // The same event again (a republish under another msgID) changes nothing.
    const replay = await stockLow(cabinet, syringe, 0, { id: first, msgId: randomUUID() });
    const third = await stockLow(cabinet, dipirona, 2);
    await eventually(() => processed(third), 20_000, "third event");
    expect(replay).toBe(first);

    const [grown, ...others] = await openRequests(cabinet);
    expect(others).toEqual([]);
    expect(grown!.id).toBe(restock!.id);
    expect(grown!.version).toBe(3);
    const quantities = Object.fromEntries(grown!.items.map((line) => [line.item.id, line.quantity]));
    // Dipirona: the larger of the two suggestions (12, then 18).
    expect(quantities).toEqual({ [syringe]: 20, [dipirona]: 18 });

    // Once the pharmacy has accepted it, the list is left alone and no second restock opens.
    await change(pharmacist, { requestId: restock!.id, status: "ACCEPTED", expectedVersion: grown!.version });
    const late = await stockLow(cabinet, paracetamol, 1);
    await eventually(() => processed(late), 20_000, "late event");
    const [accepted, ...none] = await openRequests(cabinet);
    expect(none).toEqual([]);
    expect(accepted).toMatchObject({ id: restock!.id, status: "ACCEPTED" });
    expect(accepted!.items).toHaveLength(2);
  });

  it("prices the RESTOCK from the event, never asking the dispensers catalog", async () => {
    // A real item at a price the catalog does not give it: a restock line at exactly this price
    // can only come from the event. (Before, the loop asked the dispensers service for the
    // price.) The item is a real one because the request stays on every board after this test:
    // a line whose item no subgraph can resolve would null the whole page of requests it is on.
    const cabinet = await newCabinet();
    const event = await stockLow(cabinet, syringe, 2, { itemKind: "MATERIAL", unitCost: 1.37 });
    await eventually(() => processed(event), 20_000, "event");
    expect(await restockOpenedBy(event)).toEqual([
      {
        id: expect.any(String),
        total_cost: "24.66",
        item_id: syringe,
        item_kind: "MATERIAL",
        unit_cost: "1.37",
        quantity: 18,
      },
    ]);
  });

  it("refuses a stock_low written before it carried the item's kind and price", async () => {
    const cabinet = await newCabinet();
    const older = await olderStockLow(cabinet, syringe, 0);
    // Events of one subject are handled in stream order: once the next one is in, the older was settled.
    const next = await stockLow(cabinet, dipirona, 3);
    await eventually(() => processed(next), 20_000, "next event");
    expect(await processed(older)).toBe(false);
    expect(await restockOpenedBy(older)).toEqual([]);
    expect((await restockOpenedBy(next)).map((line) => line.item_id)).toEqual([dipirona]);
  });
});
