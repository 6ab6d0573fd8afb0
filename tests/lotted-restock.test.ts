/**
 * Issue 16's acceptance line "a delivered RESTOCK adds lotted stock; expiringLots and
 * first-expiry-first-out see it", on the real stack through the gateway: a RESTOCK picked in
 * two dated lots, dispatched and delivered lands in the cabinet in those lots; expiringLots
 * lists the near one; dispensing takes the earliest expiry first, before older stock of a
 * later date. The same delivery seen again adds nothing, and an event of a producer that
 * sent no lots still adds its units.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, describe, expect, it, inject } from "vitest";
import { itemId } from "@asky/db/seed/ids";
import { asGateway, eventsOf, eventually, readStream, testStack, type StoredEvent } from "@asky/stack/testing";

const stack = testStack();
const pool = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 2 });
afterAll(() => pool.end());

const admin = asGateway("admin@asky.dev");
const tech = asGateway("tech@asky.dev");
const nurse = asGateway("nurse@asky.dev");
const dipirona = itemId("MED-DIPIRONA-500-CP");
const syringe = itemId("MAT-SERINGA-5ML");

/** `YYYY-MM-DD`, `days` from today (a margin of days keeps the hospital's calendar out of it). */
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface Lot {
  lotNumber: string;
  expiresAt: string;
  quantity: number;
}
interface Level {
  quantity: number;
  item: { id: string };
  lots: Lot[];
}

async function stockOf(dispenserId: string, item: string): Promise<Level | undefined> {
  const { dispenser } = await tech.ok<{ dispenser: { stock: Level[] } }>(
    `query($id: ID!) { dispenser(id: $id) { stock { quantity item { id } lots { lotNumber expiresAt quantity } } } }`,
    { id: dispenserId },
  );
  return dispenser.stock.find((level) => level.item.id === item);
}

async function move(requestId: string, status: string, expectedVersion: number): Promise<number> {
  const { changeRequestStatus } = await tech.ok<{ changeRequestStatus: { version: number } }>(
    `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { version } }`,
    { input: { requestId, status, expectedVersion } },
  );
  return changeRequestStatus.version;
}

async function adjust(input: Record<string, unknown>): Promise<Level> {
  const { adjustStock } = await tech.ok<{ adjustStock: Level }>(
    `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity item { id } lots { lotNumber expiresAt quantity } } }`,
    { input },
  );
  return adjustStock;
}

/** Publishes an event as the outbox relay does (msgID = event id) and waits until the dispensers service applied it. */
async function deliverAgain(envelope: StoredEvent["envelope"]): Promise<void> {
  const nc = await connect({ servers: stack.natsUrl, name: "lotted-restock-test" });
  try {
    await jetstream(nc).publish(envelope.subject, JSON.stringify(envelope), { msgID: envelope.id });
  } finally {
    await nc.drain();
  }
  await eventually(
    async () => {
      const { rows } = await pool.query(
        `select 1 from dispensers.processed_events where consumer = 'dispensers-restock-delivered' and event_id = $1`,
        [envelope.id],
      );
      return rows.length > 0 ? true : null;
    },
    20_000,
    `event ${envelope.id} applied`,
  );
}

/** A new cabinet of UTI-ADULTO, so no seeded RESTOCK is open for it. */
async function newCabinet(): Promise<string> {
  const { createDispenser } = await admin.ok<{ createDispenser: { id: string } }>(
    `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
    {
      input: {
        code: `PYX-LOT-${randomUUID().slice(0, 6).toUpperCase()}`,
        name: "Cabinet for lotted restocks",
        ward: "UTI-ADULTO",
        location: "Sala de testes",
      },
    },
  );
  return createDispenser.id;
}

/** A RESTOCK of `quantity` dipirona for the cabinet, picked in `lots` and dispatched; its id and version. */
async function dispatchedRestock(dispenserId: string, quantity: number, lots: Lot[]) {
  const { createRequest } = await tech.ok<{ createRequest: { id: string; version: number } }>(
    `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
    { input: { kind: "RESTOCK", dispenserId, items: [{ itemId: dipirona, quantity }] } },
  );
  const requestId = createRequest.id;
  let version = await move(requestId, "ACCEPTED", createRequest.version);
  version = await move(requestId, "PREPARING", version);
  const { recordPick } = await tech.ok<{ recordPick: { version: number } }>(
    `mutation($input: RecordPickInput!) { recordPick(input: $input) { version } }`,
    { input: { requestId, expectedVersion: version, lines: [{ itemId: dipirona, quantity, lots }] } },
  );
  return { requestId, version: await move(requestId, "DISPATCHED", recordPick.version) };
}

/** The cabinet's level of `item` once a delivery raised it above `before`. */
const raisedAbove = (dispenserId: string, item: string, before: number) =>
  eventually(
    async () => {
      const level = await stockOf(dispenserId, item);
      return level && level.quantity > before ? level : null;
    },
    20_000,
    "the delivered restock in the cabinet",
  );

describe("a delivered RESTOCK adds lotted stock", () => {
  it("lands in the picked lots, expiringLots lists them, dispensing takes the earliest expiry first, once", async () => {
    const dispenserId = await newCabinet();
    // Stock already there, of a later expiry than anything the restock brings.
    const older = { lotNumber: "DIP-SHELF", expiresAt: inDays(900), quantity: 3 };
    await adjust({
      dispenserId,
      itemId: dipirona,
      delta: 3,
      reason: "RESTOCK",
      lotNumber: older.lotNumber,
      expiresAt: older.expiresAt,
    });

    const near = { lotNumber: "DIP-NEAR", expiresAt: inDays(20), quantity: 6 };
    const far = { lotNumber: "DIP-FAR", expiresAt: inDays(400), quantity: 4 };
    const { requestId, version } = await dispatchedRestock(dispenserId, 10, [far, near]);
    await move(requestId, "DELIVERED", version);
    const delivered = await raisedAbove(dispenserId, dipirona, 3);
    expect(delivered).toMatchObject({ quantity: 13, lots: [near, far, older] });

    const { expiringLots } = await nurse.ok<{ expiringLots: { lotNumber: string; quantity: number }[] }>(
      `query($d: ID) { expiringLots(withinDays: 30, dispenserId: $d) { lotNumber quantity } }`,
      { d: dispenserId },
    );
    expect(expiringLots).toEqual([{ lotNumber: "DIP-NEAR", quantity: 6 }]);

    // First-expiry-first-out: the near lot goes first, then the far one; the shelf lot is untouched.
    const dispensed = await adjust({ dispenserId, itemId: dipirona, delta: -8, reason: "DISPENSED" });
    expect(dispensed).toMatchObject({ quantity: 5, lots: [{ ...far, quantity: 2 }, older] });

    // The same delivery again (a replay, another event id): applied as a no-op.
    const deliveries = eventsOf(await readStream("asky.requests.status_changed"), requestId).filter(
      (event) => event.envelope.data["status"] === "DELIVERED",
    );
    expect(deliveries).toHaveLength(1);
    const original = deliveries[0]!.envelope;
    await deliverAgain({ ...original, id: randomUUID() });
    expect(await stockOf(dispenserId, dipirona)).toMatchObject({ quantity: 5, lots: [{ ...far, quantity: 2 }, older] });

    // An older producer's delivery of another request: no lots, no received quantity.
    const oldShape = {
      ...original,
      id: randomUUID(),
      data: {
        ...original.data,
        requestId: randomUUID(),
        items: [{ itemId: syringe, itemKind: "MATERIAL", quantity: 5 }],
      },
    };
    await deliverAgain(oldShape);
    expect(await stockOf(dispenserId, syringe)).toMatchObject({ quantity: 5, lots: [] });
  }, 90_000);

  it("adds what the ward counted when fewer arrived, from the first-expiring lots", async () => {
    const dispenserId = await newCabinet();
    const near = { lotNumber: "DIP-NEAR", expiresAt: inDays(25), quantity: 6 };
    const far = { lotNumber: "DIP-FAR", expiresAt: inDays(500), quantity: 4 };
    const { requestId, version } = await dispatchedRestock(dispenserId, 10, [near, far]);
    await tech.ok(`mutation($input: ConfirmReceiptInput!) { confirmReceipt(input: $input) { id } }`, {
      input: {
        requestId,
        expectedVersion: version,
        lines: [{ itemId: dipirona, quantityReceived: 7, note: "3 units missing from the box" }],
      },
    });
    expect(await raisedAbove(dispenserId, dipirona, 0)).toMatchObject({
      quantity: 7,
      lots: [near, { ...far, quantity: 1 }],
    });
  }, 90_000);

  it("is not dispatched while a medication line is unpicked: it would land as units of no lot", async () => {
    const dispenserId = await newCabinet();
    const { createRequest } = await tech.ok<{ createRequest: { id: string; version: number } }>(
      `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
      {
        input: {
          kind: "RESTOCK",
          dispenserId,
          items: [
            { itemId: dipirona, quantity: 5 },
            { itemId: syringe, quantity: 5 },
          ],
        },
      },
    );
    const requestId = createRequest.id;
    let version = await move(requestId, "ACCEPTED", createRequest.version);
    version = await move(requestId, "PREPARING", version);
    const refused = await tech.call(
      `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { version } }`,
      { input: { requestId, status: "DISPATCHED", expectedVersion: version } },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "LOTS_REQUIRED" });
    const { request } = await tech.ok<{ request: { status: string; version: number; history: unknown[] } }>(
      `query($id: ID!) { request(id: $id) { status version history { to } } }`,
      { id: requestId },
    );
    expect(request).toMatchObject({ status: "PREPARING", version });
    expect(request.history).toHaveLength(3);

    // Picking the medication in a lot is enough: the material may still go out unpicked.
    const lot = { lotNumber: "DIP-ONLY", expiresAt: inDays(90), quantity: 5 };
    const { recordPick } = await tech.ok<{ recordPick: { version: number } }>(
      `mutation($input: RecordPickInput!) { recordPick(input: $input) { version } }`,
      { input: { requestId, expectedVersion: version, lines: [{ itemId: dipirona, quantity: 5, lots: [lot] }] } },
    );
    version = await move(requestId, "DISPATCHED", recordPick.version);
    await move(requestId, "DELIVERED", version);
    expect((await raisedAbove(dispenserId, dipirona, 0))?.lots).toEqual([lot]);
  }, 90_000);
});
