/**
 * asky.dispensers.stock_low carries the medication's therapeutic class, read from the catalog
 * row of the transaction that flips `low`, so the requests service can freeze it on the
 * RESTOCK line: the class then, not the class the catalog gives the item later.
 */
import { afterAll, describe, expect, it } from "vitest";
import { stockLow } from "@asky/contracts";
import { adminPool, as, ok, unique } from "./support.js";
import { adjust, freshCabinet, freshItem, inDays, setParLevels, type Level } from "./stock-fixtures.js";

const pool = adminPool();

afterAll(async () => {
  await pool.end();
});

/** The stock_low events of one level as the outbox stores them (the envelopes published), oldest first. */
async function stockLowEvents(levelId: string): Promise<{ data: Record<string, unknown> }[]> {
  const { rows } = await pool.query<{ payload: { data: Record<string, unknown> } }>(
    `select payload from dispensers.outbox where subject = $2 and payload->'data'->>'stockLevelId' = $1 order by seq`,
    [levelId, stockLow.subject],
  );
  return rows.map((row) => row.payload);
}

async function newMedication(therapeuticClass: string | null): Promise<string> {
  const marker = unique("CLS");
  const { createMedication } = await ok<{ createMedication: { id: string } }>(
    as.pharmacist,
    `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`,
    {
      input: {
        code: `MED-${marker}`,
        name: `Dipirona Teste ${marker}`,
        unit: "ampola",
        unitCost: 2.4,
        activeIngredient: "Dipirona sódica",
        strength: "500 mg/mL",
        dosageForm: "Solução injetável",
        therapeuticClass,
      },
    },
  );
  return createMedication.id;
}

const reclassify = (id: string, therapeuticClass: string) =>
  ok(
    as.pharmacist,
    `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { id } }`,
    {
      id,
      input: { therapeuticClass },
    },
  );

/** An empty slot of the item, opened with setParLevels: quantity 0 under min 3 is a crossing. */
async function emptySlot(dispenserId: string, itemId: string): Promise<Level> {
  const { setParLevels: level } = await ok<{ setParLevels: Level }>(as.pharmacist, setParLevels, {
    d: dispenserId,
    i: itemId,
    par: 12,
    min: 3,
  });
  return level;
}

describe("stock_low therapeutic class", () => {
  it("carries a medication's class, and null for a medication without one and for a material", async () => {
    const cabinet = await freshCabinet();
    const [classed, unclassed, material] = await Promise.all([
      newMedication("Analgésico e antipirético"),
      newMedication(null),
      freshItem(),
    ]);
    const levels = [];
    for (const itemId of [classed, unclassed, material]) levels.push(await emptySlot(cabinet.id, itemId));
    const classes = [];
    for (const level of levels) {
      const [event, ...others] = await stockLowEvents(level.id);
      expect(others).toEqual([]);
      // Present as null, not absent: the wire tells "no class" from "an older producer".
      expect(event!.data).toHaveProperty("therapeuticClass");
      classes.push(stockLow.parse(event).data.therapeuticClass);
    }
    expect(classes).toEqual(["Analgésico e antipirético", null, null]);
  });

  it("is the class of the crossing: a reclassified medication's next crossing carries the new one, the first keeps the old", async () => {
    const cabinet = await freshCabinet();
    const itemId = await newMedication("Classe antes");
    const stocked = await adjust({
      dispenserId: cabinet.id,
      itemId,
      delta: 10,
      reason: "RESTOCK",
      lotNumber: "L-CLS",
      expiresAt: inDays(200),
      parLevel: 10,
      minLevel: 4,
    });
    expect(stocked.low).toBe(false);
    // The adjusting transaction's crossing.
    await adjust({ dispenserId: cabinet.id, itemId, delta: -8, reason: "DISPENSED" });
    await reclassify(itemId, "Classe depois");
    await adjust({
      dispenserId: cabinet.id,
      itemId,
      delta: 8,
      reason: "RESTOCK",
      lotNumber: "L-CLS",
      expiresAt: inDays(200),
    });
    await adjust({ dispenserId: cabinet.id, itemId, delta: -9, reason: "DISPENSED" });
    const events = await stockLowEvents(stocked.id);
    expect(events.map(({ data }) => [data.quantity, data.therapeuticClass])).toEqual([
      [2, "Classe antes"],
      [1, "Classe depois"],
    ]);
  });
});
