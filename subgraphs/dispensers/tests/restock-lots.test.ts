/**
 * A delivered RESTOCK lands in the cabinet in the lots its event names, through the real
 * consumer: events are published to the stack's JetStream as the requests service writes
 * them (or as an older producer did), and the stock is read back through the subgraph. A
 * redelivery adds nothing, a malformed event is set aside without stopping the next one, and
 * nurses dispensing while a delivery lands never see a lot counted twice or lost.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestStatusChanged, SYSTEM_USER_ID, type RequestEventItem } from "@asky/contracts";
import { testStack } from "@asky/stack/testing";
import { adminPool, as, eventually, ok } from "./support.js";
import { adjust, freshItem, inDays, levelFields, slot, type Level } from "./stock-fixtures.js";

const stack = testStack();
const pool = adminPool();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: stack.natsUrl, name: "restock-lots-test" });
});
afterAll(async () => {
  await nc.drain();
  await pool.end();
});

/** The data of a status_changed event of a delivered RESTOCK, as the requests service writes it. */
function delivered(dispenserId: string, items: RequestEventItem[], requestId: string = randomUUID()) {
  return {
    requestId,
    number: `REQ-${requestId.slice(0, 6).toUpperCase()}`,
    kind: "RESTOCK" as const,
    priority: "ROUTINE" as const,
    ward: "CLINICA-CIRURGICA",
    dispenserId,
    requesterId: SYSTEM_USER_ID,
    assigneeId: as.tech.id,
    status: "DELIVERED" as const,
    previousStatus: "DISPATCHED" as const,
    version: 5,
    actorId: as.tech.id,
    reasonCode: null,
    reason: null,
    items,
  };
}

/** Publishes an envelope as the outbox relay does (msgID = event id); returns its id. */
async function publish<T extends { readonly id: string }>(envelope: T): Promise<string> {
  await jetstream(nc).publish(requestStatusChanged.subject, JSON.stringify(envelope), { msgID: envelope.id });
  return envelope.id;
}

/** The consumer committed this event (its effect and its processed row are one transaction). */
async function processed(eventId: string): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await pool.query(
        `select 1 from dispensers.processed_events where consumer = 'dispensers-restock-delivered' and event_id = $1`,
        [eventId],
      );
      return rows.length > 0 ? true : null;
    },
    20_000,
    `event ${eventId} processed`,
  );
}

async function levelOf(dispenserId: string, itemId: string): Promise<Level | undefined> {
  const { dispenser } = await ok<{ dispenser: { stock: Level[] } }>(
    as.tech,
    `query($id: ID!) { dispenser(id: $id) { stock { ${levelFields} } } }`,
    { id: dispenserId },
  );
  return dispenser.stock.find((level) => level.item.id === itemId);
}

const lotsOf = (level: Level | undefined) =>
  (level?.lots ?? []).map(({ lotNumber, expiresAt, quantity }) => ({ lotNumber, expiresAt, quantity }));

/** The ledger rows deliveries wrote (their note names the request; a hand restock's does not). */
async function restockLedger(levelId: string) {
  const { rows } = await pool.query<{ lot: string | null; delta: number; before: number; after: number }>(
    `select lot_number as lot, delta, quantity_before as before, quantity_after as after
       from dispensers.stock_movements where stock_level_id = $1 and reason = 'RESTOCK' and note like 'Delivered REQ-%'
      order by at, quantity_before`,
    [levelId],
  );
  return rows;
}

describe("a delivered RESTOCK with lots", () => {
  it("adds the units in their lots (merged into a lot of that number, the earlier expiry kept), once", async () => {
    const { dispenserId, itemId } = await slot();
    // The cabinet knows lot A under an earlier date than the delivery prints for it.
    await adjust({ dispenserId, itemId, delta: 2, reason: "RESTOCK", lotNumber: "A", expiresAt: inDays(200) });
    const data = delivered(dispenserId, [
      {
        itemId,
        itemKind: "MATERIAL",
        quantity: 12,
        quantityReceived: 12,
        lots: [
          { lotNumber: "A", expiresAt: inDays(300), quantity: 5 },
          { lotNumber: "B", expiresAt: inDays(20), quantity: 6 },
        ],
      },
    ]);
    await processed(await publish(requestStatusChanged.build(data)));

    const level = await levelOf(dispenserId, itemId);
    expect(level).toMatchObject({ quantity: 14, available: 14 });
    expect(lotsOf(level)).toEqual([
      { lotNumber: "B", expiresAt: inDays(20), quantity: 6 },
      { lotNumber: "A", expiresAt: inDays(200), quantity: 7 },
    ]);
    // One ledger part per lot, then the unit no lot was named for, running from 2 to 14.
    expect(await restockLedger(level!.id)).toEqual([
      { lot: "A", delta: 5, before: 2, after: 7 },
      { lot: "B", delta: 6, before: 7, after: 13 },
      { lot: null, delta: 1, before: 13, after: 14 },
    ]);
    const { rows: sources } = await pool.query(
      `select source_event_id from dispensers.stock_movements where stock_level_id = $1 and source_event_id is not null`,
      [level!.id],
    );
    expect(sources).toEqual([{ source_event_id: `restock:${data.requestId}:${itemId}` }]);

    // expiringLots sees the delivered lot; dispensing takes it first (first-expiring first).
    const { expiringLots } = await ok<{ expiringLots: { lotNumber: string; quantity: number }[] }>(
      as.nurse,
      `query($d: ID) { expiringLots(withinDays: 30, dispenserId: $d) { lotNumber quantity } }`,
      { d: dispenserId },
    );
    expect(expiringLots).toEqual([{ lotNumber: "B", quantity: 6 }]);
    const after = await adjust({ dispenserId, itemId, delta: -7, reason: "DISPENSED" });
    expect(lotsOf(after)).toEqual([{ lotNumber: "A", expiresAt: inDays(200), quantity: 6 }]);

    // The same delivery again, under another event id: processed, nothing added.
    await processed(await publish(requestStatusChanged.build(data)));
    expect(await levelOf(dispenserId, itemId)).toMatchObject({ quantity: 7 });
    expect(await restockLedger(level!.id)).toHaveLength(3);
  }, 60_000);

  it("applies an event of an older producer (no lots, no received quantity) as units of no known lot", async () => {
    const { dispenserId, itemId } = await slot();
    const envelope = requestStatusChanged.build(
      delivered(dispenserId, [{ itemId, itemKind: "MATERIAL", quantity: 4 }]),
    );
    const data = envelope.data as unknown as Record<string, unknown>;
    expect(data["items"]).toEqual([{ itemId, itemKind: "MATERIAL", quantity: 4 }]);
    await processed(await publish(envelope));

    const level = await levelOf(dispenserId, itemId);
    expect(level).toMatchObject({ quantity: 4, lots: [] });
    expect(await restockLedger(level!.id)).toEqual([{ lot: null, delta: 4, before: 0, after: 4 }]);
  }, 60_000);

  it("adds a lot that expired on the way where dispensing never takes it and expiringLots flags it", async () => {
    const { dispenserId, itemId } = await slot();
    const lots = [
      { lotNumber: "OLD", expiresAt: inDays(-3), quantity: 2 },
      { lotNumber: "NEW", expiresAt: inDays(100), quantity: 3 },
    ];
    const envelope = requestStatusChanged.build(
      delivered(dispenserId, [{ itemId, itemKind: "MATERIAL", quantity: 5, quantityReceived: 5, lots }]),
    );
    await processed(await publish(envelope));
    expect(lotsOf(await levelOf(dispenserId, itemId))).toEqual(lots);
    const { expiringLots } = await ok<{ expiringLots: { lotNumber: string; expired: boolean }[] }>(
      as.nurse,
      `query($d: ID) { expiringLots(withinDays: 0, dispenserId: $d) { lotNumber expired } }`,
      { d: dispenserId },
    );
    expect(expiringLots).toEqual([{ lotNumber: "OLD", expired: true }]);
    const after = await adjust({ dispenserId, itemId, delta: -1, reason: "DISPENSED" });
    expect(lotsOf(after)).toEqual([lots[0], { ...lots[1], quantity: 2 }]);
  }, 60_000);

  it("sets aside a malformed lot list without applying any of it, and goes on with the next event", async () => {
    const { dispenserId, itemId } = await slot();
    const otherItem = await freshItem();
    const good = requestStatusChanged.build(
      delivered(dispenserId, [{ itemId, itemKind: "MATERIAL", quantity: 3, quantityReceived: 3, lots: [] }]),
    );
    const twice = { lotNumber: "X", expiresAt: inDays(90), quantity: 2 };
    const hostile = [
      // A lot named twice would be counted twice.
      { itemId: otherItem, itemKind: "MATERIAL", quantity: 4, lots: [twice, twice] },
      // More units in lots than the line carries.
      { itemId: otherItem, itemKind: "MATERIAL", quantity: 1, lots: [twice] },
      { itemId: otherItem, itemKind: "MATERIAL", quantity: 2, lots: [{ ...twice, expiresAt: "soon" }] },
      { itemId: otherItem, itemKind: "MATERIAL", quantity: 2, lots: [{ ...twice, lotNumber: "" }] },
      { itemId: otherItem, itemKind: "MATERIAL", quantity: 2, lots: [{ ...twice, quantity: -2 }] },
      { itemId: otherItem, itemKind: "MATERIAL", quantity: 2, lots: "X" },
    ];
    for (const item of hostile) {
      const envelope = requestStatusChanged.build(delivered(dispenserId, []));
      await publish({ ...envelope, data: { ...envelope.data, items: [item] } });
    }
    // One consumer takes the subject in stream order: once the good event is in, the others were handled.
    await processed(await publish(good));
    expect(await levelOf(dispenserId, itemId)).toMatchObject({ quantity: 3 });
    expect(await levelOf(dispenserId, otherItem)).toBeUndefined();
  }, 60_000);

  it("serves nurses dispensing while a delivery lands: every unit and lot counted once", async () => {
    const { dispenserId, itemId } = await slot();
    await adjust({ dispenserId, itemId, delta: 10, reason: "RESTOCK", lotNumber: "A", expiresAt: inDays(60) });
    const envelope = requestStatusChanged.build(
      delivered(dispenserId, [
        {
          itemId,
          itemKind: "MATERIAL",
          quantity: 10,
          quantityReceived: 10,
          lots: [
            { lotNumber: "A", expiresAt: inDays(60), quantity: 4 },
            { lotNumber: "B", expiresAt: inDays(30), quantity: 6 },
          ],
        },
      ]),
    );
    const [eventId] = await Promise.all([
      publish(envelope),
      ...Array.from({ length: 6 }, () => adjust({ dispenserId, itemId, delta: -1, reason: "DISPENSED" })),
    ]);
    await processed(eventId);
    const level = await levelOf(dispenserId, itemId);
    expect(level!.quantity).toBe(14);
    // Every unit is in a lot: the lots add up to the level, whatever order the writers ran in.
    expect(level!.lots.reduce((sum, lot) => sum + lot.quantity, 0)).toBe(14);
    const { rows } = await pool.query<{ total: number }>(
      `select sum(delta)::int as total from dispensers.stock_movements where stock_level_id = $1`,
      [level!.id],
    );
    expect(rows[0]!.total).toBe(14);
  }, 60_000);
});
