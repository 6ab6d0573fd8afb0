/**
 * RESTOCK lines know their therapeutic class: stock_low carries the medication's class (read
 * where the level crossed its minimum) and the restock loop freezes it on the line it opens or
 * adds, like a request made by hand freezes it at creation. So the request events' lines carry
 * it and the reports' consumption by THERAPEUTIC_CLASS counts a delivered restock under the
 * class it had then, not under null.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stockLow as stockLowEvent, type CatalogItemKind } from "@asky/contracts";
import {
  admin,
  adminPool,
  change,
  dipirona,
  eventually,
  newCabinet,
  ok,
  paracetamol,
  pharmacist,
  syringe,
  unique,
} from "./support.js";

const pool = adminPool();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: inject("natsUrl") });
});
afterAll(async () => {
  await nc.close();
  await pool.end();
});

interface LineRow {
  item_id: string;
  item_kind: string;
  therapeutic_class: string | null;
  quantity: number;
}

/** The cabinet's RESTOCK requests and their lines, from the requests schema. */
async function restockLines(dispenserId: string) {
  const { rows } = await pool.query<LineRow & { request_id: string; version: number }>(
    `select r.id as request_id, r.version, i.item_id, i.item_kind, i.therapeutic_class, i.quantity
       from requests.requests r join requests.request_items i on i.request_id = r.id
      where r.dispenser_id = $1 and r.kind = 'RESTOCK' order by i.item_id`,
    [dispenserId],
  );
  return rows;
}

async function processed(eventId: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `select 1 from requests.processed_events where consumer = 'requests-stock-low' and event_id = $1`,
    [eventId],
  );
  return rowCount === 1;
}

interface ClassRow {
  group: { therapeuticClass: string | null };
  quantity: number;
  cost: string;
  requests: number;
}

interface Published {
  itemKind?: CatalogItemKind;
  /** Absent: the event as a producer before the class was carried wrote it (no key at all). */
  therapeuticClass?: unknown;
}

/** Publishes asky.dispensers.stock_low built by its contract, the class then set on the wire as given. */
async function stockLow(dispenserId: string, itemId: string, quantity: number, options: Published = {}) {
  const envelope = stockLowEvent.build({
    stockLevelId: randomUUID(),
    dispenserId,
    dispenserCode: "PYX-TEST",
    ward: "UTI-ADULTO",
    itemId,
    itemKind: options.itemKind ?? "MEDICATION",
    unitCost: 0.5,
    quantity,
    minLevel: 5,
    parLevel: 20,
    suggestedRestockQuantity: 20 - quantity,
  });
  const data: Record<string, unknown> = { ...envelope.data };
  if ("therapeuticClass" in options) data.therapeuticClass = options.therapeuticClass;
  await jetstream(nc).publish(envelope.subject, JSON.stringify({ ...envelope, data }), { msgID: envelope.id });
  return envelope.id;
}

async function newMedication(therapeuticClass: string): Promise<string> {
  const { createMedication } = await ok<{ createMedication: { id: string } }>(
    admin,
    `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`,
    {
      input: {
        code: unique("MED-RST-CLASS"),
        name: "Medicamento de teste de reposição",
        unit: "ampola",
        unitCost: 2.4,
        activeIngredient: "Teste",
        strength: "1 mg/mL",
        dosageForm: "Solução injetável",
        therapeuticClass,
      },
    },
  );
  return createMedication.id;
}

/** Moves the request through `statuses` as the pharmacy; its version after the last. */
async function movedThrough(requestId: string, version: number, statuses: string[]): Promise<number> {
  let current = version;
  for (const status of statuses) {
    current = (await change(pharmacist, { requestId, status, expectedVersion: current })).version;
  }
  return current;
}

describe("restock lines and their therapeutic class", () => {
  it("freezes the class stock_low carries on the line it opens and on a PENDING restock it grows", async () => {
    const cabinet = await newCabinet();
    // Opened by an event of an older producer: no class key, the line's class is unknown.
    const opening = await stockLow(cabinet, dipirona, 2);
    await eventually(() => processed(opening), 20_000, "opening event");
    const [opened] = await restockLines(cabinet);
    expect(opened).toMatchObject({ item_id: dipirona, therapeutic_class: null, version: 1 });

    // The same item low again, now with its class: the unknown class is filled in.
    const classed = await stockLow(cabinet, dipirona, 1, { therapeuticClass: "Classe da reposição" });
    // A later crossing under another class leaves the frozen one alone (the quantity still grows).
    const reclassed = await stockLow(cabinet, dipirona, 0, { therapeuticClass: "Classe posterior" });
    // A new medication joins the pending restock with its class; a material never has one.
    const added = await stockLow(cabinet, paracetamol, 3, { therapeuticClass: "Analgésico" });
    const material = await stockLow(cabinet, syringe, 4, { itemKind: "MATERIAL", therapeuticClass: "Classe" });
    for (const event of [classed, reclassed, added, material])
      await eventually(() => processed(event), 20_000, "growing event");

    const lines = await restockLines(cabinet);
    expect(new Set(lines.map((line) => line.request_id))).toEqual(new Set([opened!.request_id]));
    const byItem = Object.fromEntries(lines.map((line) => [line.item_id, [line.therapeutic_class, line.quantity]]));
    expect(byItem).toEqual({
      [dipirona]: ["Classe da reposição", 20],
      [paracetamol]: ["Analgésico", 17],
      [syringe]: [null, 16],
    });
    expect(lines[0]!.version).toBe(5);
  });

  it("refuses a stock_low with a malformed class and changes nothing", async () => {
    const cabinet = await newCabinet();
    const opening = await stockLow(cabinet, dipirona, 2, { therapeuticClass: "Analgésico e antipirético" });
    await eventually(() => processed(opening), 20_000, "opening event");
    const before = await restockLines(cabinet);
    const hostile = [
      await stockLow(cabinet, paracetamol, 1, { therapeuticClass: "" }),
      await stockLow(cabinet, paracetamol, 1, { therapeuticClass: 42 }),
      await stockLow(cabinet, paracetamol, 1, { therapeuticClass: { name: "Analgésico" } }),
    ];
    // Events of one subject are handled in stream order: once the next one is in, these were settled.
    const next = await stockLow(cabinet, dipirona, 1, { therapeuticClass: "Outra" });
    await eventually(() => processed(next), 20_000, "next event");
    for (const event of hostile) expect(await processed(event)).toBe(false);
    const after = await restockLines(cabinet);
    expect(after.map((line) => line.item_id)).toEqual([dipirona]);
    // Only the well-formed next event grew it (version 2, quantity 19); the class stays frozen.
    expect(after[0]).toMatchObject({
      ...before[0],
      version: 2,
      quantity: 19,
      therapeutic_class: before[0]!.therapeutic_class,
    });
  });

  it("carries a real crossing's class into the request events and consumption by THERAPEUTIC_CLASS", async () => {
    const ward = "ONCOLOGIA";
    // A class of this run alone: other deliveries in the ward and period group elsewhere.
    const therapeuticClass = unique("Classe de reposição automática");
    const cabinet = await newCabinet(ward);
    const from = new Date(Date.now() - 1_000);
    const medication = await newMedication(therapeuticClass);
    // An empty slot under its minimum: the dispensers service raises stock_low (par 12 − 0 on hand).
    await ok(
      pharmacist,
      `mutation($d: ID!, $i: ID!) { setParLevels(dispenserId: $d, itemId: $i, parLevel: 12, minLevel: 3) { id low } }`,
      { d: cabinet, i: medication },
    );
    const [line] = await eventually(
      async () => {
        const rows = await restockLines(cabinet);
        return rows.length > 0 ? rows : undefined;
      },
      20_000,
      "the RESTOCK request",
    );
    expect(line).toMatchObject({ item_id: medication, item_kind: "MEDICATION", quantity: 12 });
    expect(line!.therapeutic_class).toBe(therapeuticClass);
    // Reclassified after the crossing: the restock counts under the class it had then.
    await ok(
      admin,
      `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { id } }`,
      { id: medication, input: { therapeuticClass: "Classe nova" } },
    );

    const preparing = await movedThrough(line!.request_id, line!.version, ["ACCEPTED", "PREPARING"]);
    // A RESTOCK's medication lines are picked in lots before it is dispatched.
    const { recordPick } = await ok<{ recordPick: { version: number } }>(
      pharmacist,
      `mutation($input: RecordPickInput!) { recordPick(input: $input) { version } }`,
      {
        input: {
          requestId: line!.request_id,
          expectedVersion: preparing,
          lines: [
            {
              itemId: medication,
              quantity: 12,
              lots: [{ lotNumber: "RST-CLASS-1", expiresAt: "2031-12-31", quantity: 12 }],
            },
          ],
        },
      },
    );
    await movedThrough(line!.request_id, recordPick.version, ["DISPATCHED", "DELIVERED"]);
    const { rows: events } = await pool.query<{ type: string; classes: (string | null)[] }>(
      `select payload->>'type' as type,
              array(select l->>'therapeuticClass' from jsonb_array_elements(payload->'data'->'lines') l) as classes
         from requests.outbox where payload->'data'->>'requestId' = $1
          and payload->>'type' in ('requests.created', 'requests.status_changed') order by seq`,
      [line!.request_id],
    );
    expect(events.map((event) => event.type)).toEqual([
      "requests.created",
      ...Array(4).fill("requests.status_changed"),
    ]);
    for (const event of events) expect(event.classes).toEqual([therapeuticClass]);

    const CONSUMPTION = `query($from: DateTime!, $to: DateTime!, $ward: String) {
      consumption(from: $from, to: $to, groupBy: [THERAPEUTIC_CLASS], ward: $ward) {
        group { therapeuticClass } quantity cost requests
      }
    }`;
    const to = new Date(Date.now() + 3_600_000);
    const ofThisClass = async () => {
      const { consumption } = await ok<{ consumption: ClassRow[] }>(pharmacist, CONSUMPTION, { from, to, ward });
      const rows = consumption.filter((row) => row.group.therapeuticClass === therapeuticClass);
      return rows.length > 0 ? rows : undefined;
    };
    const rows = await eventually(ofThisClass, 30_000, "the delivered restock in the reports");
    expect(rows).toEqual([{ group: { therapeuticClass }, quantity: 12, cost: "28.80", requests: 1 }]);
  });
});
