import { afterAll, describe, expect, it } from "vitest";
import { stockLow } from "@asky/contracts";
import { readStream, type StoredEvent } from "@asky/stack/testing";
import { adminPool, as, call, codeOf, eventually } from "./support.js";
import { adjust, setParLevels, slot, type Level } from "./stock-fixtures.js";

const pool = adminPool();

afterAll(async () => {
  await pool.end();
});

interface OutboxRow {
  id: string;
  subject: string;
  /** The envelope the relay publishes as is. */
  payload: StoredEvent["envelope"];
  published: boolean;
}

async function stockLowEvents(levelId: string): Promise<OutboxRow[]> {
  const { rows } = await pool.query<OutboxRow>(
    `select id, subject, payload, published_at is not null as published from dispensers.outbox
      where subject = $2 and payload->'data'->>'stockLevelId' = $1 order by seq`,
    [levelId, stockLow.subject],
  );
  return rows;
}

describe("asky.dispensers.stock_low", () => {
  it("is raised once per crossing below minLevel, in the adjusting transaction, and reaches JetStream", async () => {
    const { dispenserId, itemId, code } = await slot();
    const level = await adjust({ dispenserId, itemId, delta: 10, reason: "RESTOCK", parLevel: 10, minLevel: 4 });
    expect(await stockLowEvents(level.id)).toEqual([]);

    const crossed = await adjust({ dispenserId, itemId, delta: -7, reason: "DISPENSED" });
    expect(crossed).toMatchObject({ quantity: 3, low: true });
    await adjust({ dispenserId, itemId, delta: -1, reason: "DISPENSED" });
    await adjust({ dispenserId, itemId, delta: -1, reason: "DAMAGED" });
    const [event, ...others] = await stockLowEvents(level.id);
    expect(others).toEqual([]);
    expect(event!.payload).toMatchObject({
      id: event!.id,
      type: "dispensers.stock_low",
      subject: "asky.dispensers.stock_low",
      version: 1,
      data: {
        eventId: event!.id,
        dispenserId,
        dispenserCode: code,
        ward: "CLINICA-CIRURGICA",
        itemId,
        quantity: 3,
        minLevel: 4,
        parLevel: 10,
        suggestedRestockQuantity: 7,
        // The catalog's kind and price (freshItem: a material at 0.90), so the restock needs no lookup.
        itemKind: "MATERIAL",
        unitCost: 0.9,
      },
    });
    expect(Date.parse(String(event!.payload.data.at))).not.toBeNaN();
    expect(stockLow.parse(event!.payload).data).toMatchObject({ itemId, itemKind: "MATERIAL", unitCost: 0.9 });

    // The relay publishes it with msgID = event id.
    await eventually(async () => (await stockLowEvents(level.id))[0]!.published, 10_000, "publication");
    const stored = (await readStream("asky.dispensers.stock_low")).at(-1);
    expect(stored?.msgId).toBe(event!.id);
    expect(stored?.envelope.id).toBe(event!.id);
  });

  it("resets when the level climbs back, and fires again on the next crossing", async () => {
    const { dispenserId, itemId } = await slot();
    const level = await adjust({ dispenserId, itemId, delta: 2, reason: "RESTOCK", parLevel: 10, minLevel: 4 });
    expect(level.low).toBe(true);
    const restocked = await adjust({ dispenserId, itemId, delta: 8, reason: "RESTOCK" });
    expect(restocked.low).toBe(false);
    await adjust({ dispenserId, itemId, delta: -9, reason: "DISPENSED" });
    const events = await stockLowEvents(level.id);
    expect(events.map((event) => event.payload.data.quantity)).toEqual([2, 1]);
  });

  it("is raised by setParLevels when the new minimum is above the quantity", async () => {
    const { dispenserId, itemId } = await slot();
    const level = await adjust({ dispenserId, itemId, delta: 5, reason: "RESTOCK", parLevel: 10, minLevel: 2 });
    expect(codeOf(await call(as.tech, setParLevels, { d: dispenserId, i: itemId, par: 20, min: 8 }))).toBe("FORBIDDEN");
    expect(codeOf(await call(as.pharmacist, setParLevels, { d: dispenserId, i: itemId, par: 5, min: 8 }))).toBe(
      "BAD_USER_INPUT",
    );
    const result = await call<{ setParLevels: Level }>(as.pharmacist, setParLevels, {
      d: dispenserId,
      i: itemId,
      par: 20,
      min: 8,
    });
    expect(result.data?.setParLevels).toMatchObject({
      quantity: 5,
      parLevel: 20,
      minLevel: 8,
      low: true,
      suggestedRestock: 15,
    });
    const [event] = await stockLowEvents(level.id);
    expect(event?.payload.data).toMatchObject({ quantity: 5, minLevel: 8, parLevel: 20, suggestedRestockQuantity: 15 });
  });

  it("opens an empty slot with setParLevels, which asks to be filled", async () => {
    const { dispenserId, itemId } = await slot();
    const result = await call<{ setParLevels: Level }>(as.admin, setParLevels, {
      d: dispenserId,
      i: itemId,
      par: 12,
      min: 3,
    });
    const level = result.data!.setParLevels;
    expect(level).toMatchObject({ quantity: 0, low: true, lots: [] });
    expect(await stockLowEvents(level.id)).toHaveLength(1);
  });
});
