/**
 * What a cabinet needs from a RESTOCK's events: each line's lots and received quantity, read
 * from the line rows in the transaction of the change. A dispatched line carries the lots it
 * was picked in; a delivered one what the ward counted, in lots taken first-expiring first
 * along the dispatched ones when fewer arrived; a line received at 0 sends nothing.
 */
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, describe, expect, it } from "vitest";
import * as tables from "@asky/db/schema/requests";
import { recordRequestEvent } from "../src/outbox/request-events.js";
import { goodUntil, pick } from "./pick-support.js";
import {
  adminPool,
  change,
  create,
  dipirona,
  eventsOf,
  eventually,
  idOf,
  newCabinet,
  ok,
  readStream,
  syringe,
  tech,
  type StoredEvent,
} from "./support.js";

const pool = adminPool();
const db = drizzle(pool, { schema: tables });
afterAll(() => pool.end());

/** The request's events of `subject` once the relay published `count` of them, in stream order. */
async function eventsOfRequest(subject: string, requestId: string, count: number): Promise<StoredEvent[]> {
  return eventually(
    async () => {
      const events = eventsOf(await readStream(subject), requestId);
      return events.length >= count ? events : null;
    },
    20_000,
    `${count} ${subject} of ${requestId}`,
  );
}

interface EventItem {
  itemId: string;
}
/** Lines in item order: the events list them in row order, which a test does not choose. */
const sorted = (items: unknown) => [...(items as EventItem[])].sort((a, b) => a.itemId.localeCompare(b.itemId));

const early = { lotNumber: "DIP-EARLY", expiresAt: "2030-11-30", quantity: 6 };
const late = { lotNumber: "DIP-LATE", expiresAt: goodUntil, quantity: 4 };

/** A RESTOCK of a new cabinet, dipirona picked in two lots and syringes short without lots, dispatched. */
async function dispatchedRestock(): Promise<{ id: string; version: number }> {
  const dispenserId = await newCabinet();
  const created = await create(tech, {
    kind: "RESTOCK",
    dispenserId,
    items: [
      { itemId: dipirona, quantity: 10 },
      { itemId: syringe, quantity: 5 },
    ],
  });
  let version = created.version;
  for (const status of ["ACCEPTED", "PREPARING"]) {
    version = (await change(tech, { requestId: created.id, status, expectedVersion: version })).version;
  }
  const picked = await pick(tech, {
    requestId: created.id,
    expectedVersion: version,
    lines: [
      { itemId: dipirona, quantity: 10, lots: [late, early] },
      { itemId: syringe, quantity: 3, reasonCode: "STOCKOUT" },
    ],
  });
  const dispatched = await change(tech, {
    requestId: created.id,
    status: "DISPATCHED",
    expectedVersion: picked.version,
  });
  return { id: created.id, version: dispatched.version };
}

class RolledBack extends Error {}

/**
 * The status_changed data the requests service writes for a delivery after the ward counted
 * `received` per item: the producer run on the real rows in a transaction that is then
 * rolled back, whoever records the count.
 */
async function deliveryEventWith(requestId: string, received: Record<string, number>): Promise<unknown> {
  let items: unknown = null;
  await db
    .transaction(async (tx) => {
      for (const [itemId, quantity] of Object.entries(received)) {
        await tx
          .update(tables.requestItems)
          .set({ quantityReceived: quantity })
          .where(and(eq(tables.requestItems.itemId, itemId), eq(tables.requestItems.requestId, requestId)));
      }
      const [request] = await tx
        .update(tables.requests)
        .set({ status: "DELIVERED" })
        .where(eq(tables.requests.id, requestId))
        .returning();
      const lines = await tx.select().from(tables.requestItems).where(eq(tables.requestItems.requestId, requestId));
      const eventId = await recordRequestEvent(tx, {
        request: request!,
        items: lines,
        previousStatus: "DISPATCHED",
        actorId: idOf(tech),
      });
      const [row] = await tx.select().from(tables.outbox).where(eq(tables.outbox.id, eventId));
      items = (row!.payload as { data: { items: unknown } }).data.items;
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return items;
}

describe("request events carry lines' lots and received quantities", () => {
  it("sends no lots before a pick, the picked lots on dispatch and on delivery", async () => {
    const request = await dispatchedRestock();
    await change(tech, { requestId: request.id, status: "DELIVERED", expectedVersion: request.version });

    const [createdEvent] = await eventsOfRequest("asky.requests.created", request.id, 1);
    expect(sorted(createdEvent!.envelope.data["items"])).toEqual(
      sorted([
        { itemId: dipirona, itemKind: "MEDICATION", quantity: 10, quantityReceived: null, lots: [] },
        { itemId: syringe, itemKind: "MATERIAL", quantity: 5, quantityReceived: null, lots: [] },
      ]),
    );
    const changes = await eventsOfRequest("asky.requests.status_changed", request.id, 4);
    const byStatus = new Map(changes.map((event) => [event.envelope.data["status"], event.envelope.data["items"]]));
    expect(sorted(byStatus.get("DISPATCHED"))).toEqual(
      sorted([
        { itemId: dipirona, itemKind: "MEDICATION", quantity: 10, quantityReceived: null, lots: [early, late] },
        { itemId: syringe, itemKind: "MATERIAL", quantity: 3, quantityReceived: null, lots: [] },
      ]),
    );
    // DELIVERED by changeRequestStatus is a receipt of everything dispatched: the same units in the same lots.
    expect(sorted(byStatus.get("DELIVERED"))).toEqual(
      sorted([
        { itemId: dipirona, itemKind: "MEDICATION", quantity: 10, quantityReceived: 10, lots: [early, late] },
        { itemId: syringe, itemKind: "MATERIAL", quantity: 3, quantityReceived: 3, lots: [] },
      ]),
    );
  }, 60_000);

  it("sends what confirmReceipt counted: short lines in lots taken first-expiring first, none of a line received at 0", async () => {
    const request = await dispatchedRestock();
    await ok(tech, `mutation($input: ConfirmReceiptInput!) { confirmReceipt(input: $input) { id } }`, {
      input: {
        requestId: request.id,
        expectedVersion: request.version,
        lines: [
          { itemId: dipirona, quantityReceived: 7, note: "3 ampoules broken in transit" },
          { itemId: syringe, quantityReceived: 0, note: "box missing" },
        ],
      },
    });
    const changes = await eventsOfRequest("asky.requests.status_changed", request.id, 4);
    const delivery = changes.find((event) => event.envelope.data["status"] === "DELIVERED");
    expect(delivery!.envelope.data["items"]).toEqual([
      {
        itemId: dipirona,
        itemKind: "MEDICATION",
        quantity: 7,
        quantityReceived: 7,
        lots: [early, { ...late, quantity: 1 }],
      },
    ]);
  }, 60_000);

  it("builds the delivery from the line rows alone, whichever path wrote the count", async () => {
    const request = await dispatchedRestock();
    expect(await deliveryEventWith(request.id, { [dipirona]: 7, [syringe]: 0 })).toEqual([
      {
        itemId: dipirona,
        itemKind: "MEDICATION",
        quantity: 7,
        quantityReceived: 7,
        lots: [early, { ...late, quantity: 1 }],
      },
    ]);
    // Nothing of the first count stayed (rolled back): syringes not counted go as dispatched.
    expect(sorted(await deliveryEventWith(request.id, { [dipirona]: 3 }))).toMatchObject(
      sorted([
        { itemId: dipirona, quantity: 3, quantityReceived: 3, lots: [{ ...early, quantity: 3 }] },
        { itemId: syringe, quantity: 3, quantityReceived: null, lots: [] },
      ]),
    );
  }, 60_000);
});
