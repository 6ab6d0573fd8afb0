/**
 * Every change of a request is an event: over a whole life (a RESTOCK opened by the restock
 * loop, grown twice while PENDING, accepted, prepared, picked, verified, dispatched, received),
 * the versions its events carry (created, status_changed, lines_changed, pick_recorded) are
 * exactly the versions it went through, 1 to its last, each once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { eventSubjects, stockLow as stockLowEvent, type CatalogItemKind } from "@asky/contracts";
import { ensureStream } from "@asky/events";
import { createLogger } from "@asky/runtime";
import { custodyView, lots, move, tryReceive } from "./custody-support.js";
import { pick } from "./pick-support.js";
import { adminPool, dipirona, eventually, newCabinet, nurse, pharmacist, syringe, tech } from "./support.js";

const pool = adminPool();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: inject("natsUrl") });
  await ensureStream(nc, { replicas: 1, logger: createLogger("request-versions-test", "silent") });
});
afterAll(async () => {
  await nc.close();
  await pool.end();
});

/** asky.dispensers.stock_low as the dispensers service writes it: par 20, so it asks for 20 - quantity. */
async function stockLow(dispenserId: string, itemId: string, itemKind: CatalogItemKind, quantity: number) {
  const envelope = stockLowEvent.build({
    stockLevelId: randomUUID(),
    dispenserId,
    dispenserCode: "PYX-TEST",
    ward: "UTI-ADULTO",
    itemId,
    itemKind,
    unitCost: 0.5,
    quantity,
    minLevel: 5,
    parLevel: 20,
    suggestedRestockQuantity: 20 - quantity,
  });
  await jetstream(nc).publish(envelope.subject, JSON.stringify(envelope), { msgID: envelope.id });
  return envelope.id;
}

async function processed(eventId: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `select 1 from requests.processed_events where consumer = 'requests-stock-low' and event_id = $1`,
    [eventId],
  );
  return rowCount === 1;
}

/** The RESTOCK of the cabinet and its version, read from the requests schema. */
async function restockOf(dispenserId: string): Promise<{ id: string; version: number } | undefined> {
  const { rows } = await pool.query<{ id: string; version: number }>(
    `select id, version from requests.requests where dispenser_id = $1 and kind = 'RESTOCK'`,
    [dispenserId],
  );
  return rows[0];
}

const changeSubjects = [
  eventSubjects.requestCreated,
  eventSubjects.requestStatusChanged,
  eventSubjects.requestLinesChanged,
  eventSubjects.pickRecorded,
];

describe("a request's versions and its events", () => {
  it("has one event for each version it went through, none missing, none twice", async () => {
    const cabinet = await newCabinet();
    // Opened (15 syringes), the syringes raised to 20, dipirona added: versions 1, 2, 3.
    for (const [itemId, kind, quantity] of [
      [syringe, "MATERIAL", 5],
      [syringe, "MATERIAL", 0],
      [dipirona, "MEDICATION", 8],
    ] as const) {
      const event = await stockLow(cabinet, itemId, kind, quantity);
      await eventually(() => processed(event), 20_000, "the stock_low handled");
    }
    const restock = await eventually(() => restockOf(cabinet), 20_000, "the RESTOCK");
    expect(restock.version).toBe(3);

    await move(pharmacist, restock.id, "ACCEPTED");
    const preparing = await move(tech, restock.id, "PREPARING");
    await pick(tech, {
      requestId: restock.id,
      expectedVersion: preparing.version,
      lines: [
        { itemId: syringe, quantity: 20 },
        { itemId: dipirona, quantity: 12, lots: lots(12, "RST-VERSIONS-1") },
      ],
    });
    await move(pharmacist, restock.id, "VERIFIED");
    await move(tech, restock.id, "DISPATCHED");
    const dispatched = await custodyView(restock.id);
    const received = await tryReceive(nurse, { requestId: restock.id, expectedVersion: dispatched.version });
    expect(received.errors).toBeUndefined();
    const final = await custodyView(restock.id);
    expect(final.status).toBe("DELIVERED");

    const { rows } = await pool.query<{ subject: string; version: number }>(
      `select subject, (payload->'data'->>'version')::int as version from requests.outbox
        where payload->'data'->>'requestId' = $1 and subject = any($2) order by seq`,
      [restock.id, changeSubjects],
    );
    const versions = rows.map((row) => row.version);
    expect(versions).toEqual(Array.from({ length: final.version }, (_, index) => index + 1));
    expect(rows.map((row) => row.subject)).toEqual([
      eventSubjects.requestCreated,
      eventSubjects.requestLinesChanged,
      eventSubjects.requestLinesChanged,
      eventSubjects.requestStatusChanged, // ACCEPTED
      eventSubjects.requestStatusChanged, // PREPARING
      eventSubjects.pickRecorded,
      eventSubjects.requestStatusChanged, // VERIFIED
      eventSubjects.requestStatusChanged, // DISPATCHED
      eventSubjects.requestStatusChanged, // DELIVERED
    ]);
  });
});
