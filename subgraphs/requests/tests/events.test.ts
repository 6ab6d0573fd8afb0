import { afterAll, describe, expect, it } from "vitest";
import {
  adminPool,
  change,
  create,
  eventsOf,
  eventually,
  idOf,
  newCabinet,
  nurse,
  pharmacist,
  readStream,
  syringe,
  tech,
  utiCabinet,
  dipirona,
} from "./support.js";

const pool = adminPool();

afterAll(async () => {
  await pool.end();
});

async function published(requestId: string, count: number): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from requests.outbox where payload->'data'->>'requestId' = $1 and published_at is not null`,
    [requestId],
  );
  return rows[0]!.n === count;
}

describe("request events on JetStream", () => {
  it("publishes created and status_changed with routing fields, msgID = event id, in order", async () => {
    const request = await create(nurse, {
      kind: "MEDICATION",
      priority: "URGENT",
      dispenserId: utiCabinet,
      items: [{ itemId: dipirona, quantity: 3 }],
    });
    const accepted = await change(pharmacist, { requestId: request.id, status: "ACCEPTED", expectedVersion: 1 });
    await change(tech, { requestId: request.id, status: "PREPARING", expectedVersion: accepted.version });
    await eventually(() => published(request.id, 3), 15_000, "publication");

    const created = eventsOf(await readStream("asky.requests.created"), request.id);
    const changed = eventsOf(await readStream("asky.requests.status_changed"), request.id);
    expect(created).toHaveLength(1);
    expect(changed).toHaveLength(2);
    for (const event of [...created, ...changed]) expect(event.msgId).toBe(event.envelope.id);

    const [createdEvent] = created;
    expect(createdEvent!.envelope).toMatchObject({
      type: "requests.created",
      subject: "asky.requests.created",
      version: 1,
    });
    expect(createdEvent!.envelope.data).toMatchObject({
      eventId: createdEvent!.envelope.id,
      requestId: request.id,
      number: request.number,
      kind: "MEDICATION",
      priority: "URGENT",
      ward: "UTI-ADULTO",
      dispenserId: utiCabinet,
      requesterId: idOf(nurse),
      status: "PENDING",
      previousStatus: null,
      version: 1,
      actorId: idOf(nurse),
      items: [{ itemId: dipirona, itemKind: "MEDICATION", quantity: 3 }],
    });
    expect(createdEvent!.envelope.data.at).toBe(createdEvent!.envelope.occurredAt);

    expect(changed.map((event) => event.envelope.data)).toMatchObject([
      {
        status: "ACCEPTED",
        previousStatus: "PENDING",
        version: 2,
        actorId: idOf(pharmacist),
        assigneeId: idOf(pharmacist),
      },
      { status: "PREPARING", previousStatus: "ACCEPTED", version: 3, actorId: idOf(tech) },
    ]);
    // Per request, stream order follows the changes.
    expect(createdEvent!.seq).toBeLessThan(changed[0]!.seq);
    expect(changed[0]!.seq).toBeLessThan(changed[1]!.seq);
  });

  it("carries a delivered RESTOCK's items, which is what the cabinet's stock needs", async () => {
    const cabinet = await newCabinet();
    let restock = await create(tech, {
      kind: "RESTOCK",
      dispenserId: cabinet,
      items: [{ itemId: syringe, quantity: 40 }],
    });
    for (const status of ["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"]) {
      restock = await change(tech, { requestId: restock.id, status, expectedVersion: restock.version });
    }
    await eventually(() => published(restock.id, 5), 15_000, "publication");
    const delivered = eventsOf(await readStream("asky.requests.status_changed"), restock.id).at(-1)!;
    expect(delivered.envelope.data).toMatchObject({
      kind: "RESTOCK",
      status: "DELIVERED",
      previousStatus: "DISPATCHED",
      version: 5,
      dispenserId: cabinet,
      items: [{ itemId: syringe, itemKind: "MATERIAL", quantity: 40 }],
    });
  });

  it("writes no event for a refused change", async () => {
    const request = await create(nurse, {
      kind: "MATERIAL",
      dispenserId: utiCabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    await change(pharmacist, { requestId: request.id, status: "ACCEPTED", expectedVersion: 1 });
    await Promise.all([
      change(pharmacist, { requestId: request.id, status: "ACCEPTED", expectedVersion: 2 }).catch(() => undefined),
      change(nurse, { requestId: request.id, status: "PREPARING", expectedVersion: 2 }).catch(() => undefined),
      change(tech, { requestId: request.id, status: "PREPARING", expectedVersion: 1 }).catch(() => undefined),
    ]);
    const { rows } = await pool.query(`select 1 from requests.outbox where payload->'data'->>'requestId' = $1`, [
      request.id,
    ]);
    expect(rows).toHaveLength(2);
  });
});
