/**
 * Consumption by THERAPEUTIC_CLASS (issue 17): the class is frozen on the request line when it
 * is made, so the report groups what was delivered under the class each line had then, a
 * material and a line of unknown class under null. Figures equal those computed from the
 * requests database and the catalog; events of producers that did not carry the class still
 * project (as unknown), and a newer event's class wins over an older one's absence.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestCreated, requestStatusChanged, type EventEnvelope, type RequestEventData } from "@asky/contracts";
import { itemId } from "@asky/db/seed/ids";
import { asGateway, eventually, testStack } from "@asky/stack/testing";
import { adminPool, dipirona, readModelCaughtUp, utiCabinet, walkADay } from "./support.js";

const admin = asGateway("admin@asky.dev");
const nurse = asGateway("nurse@asky.dev");
const pharmacist = asGateway("pharmacist@asky.dev");
const syringe = itemId("MAT-SERINGA-5ML");
let pool: pg.Pool;
let from: Date;
let to: Date;
let reclassified = "";
let substitute = "";

interface Ref {
  id: string;
  version: number;
}
interface ClassRow {
  group: { ward: string | null; therapeuticClass: string | null };
  quantity: number;
  cost: string;
  requests: number;
}

const CONSUMPTION = `query($from: DateTime!, $to: DateTime!, $groupBy: [ConsumptionGroup!]!, $ward: String) {
  consumption(from: $from, to: $to, groupBy: $groupBy, ward: $ward) {
    group { ward therapeuticClass } quantity cost requests
  }
}`;
const consumption = async (variables: Record<string, unknown>) =>
  (await pharmacist.ok<{ consumption: ClassRow[] }>(CONSUMPTION, variables)).consumption;

async function deliver(request: Ref, statuses = ["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"]): Promise<Ref> {
  let current = request;
  for (const status of statuses) {
    const { changeRequestStatus } = await pharmacist.ok<{ changeRequestStatus: Ref }>(
      `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version } }`,
      { input: { requestId: current.id, status, expectedVersion: current.version } },
    );
    current = changeRequestStatus;
  }
  return current;
}

async function create(kind: string, items: [string, number][]): Promise<Ref> {
  const { createRequest } = await nurse.ok<{ createRequest: Ref }>(
    `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
    {
      input: {
        kind,
        priority: "ROUTINE",
        dispenserId: utiCabinet,
        items: items.map(([item, quantity]) => ({ itemId: item, quantity })),
      },
    },
  );
  return createRequest;
}

async function newMedication(therapeuticClass: string): Promise<string> {
  const { createMedication } = await admin.ok<{ createMedication: { id: string } }>(
    `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`,
    {
      input: {
        code: `MED-RPT-CLASS-${randomUUID().slice(0, 8).toUpperCase()}`,
        name: "Medicamento de teste de relatórios",
        unit: "comprimido",
        unitCost: 1.5,
        activeIngredient: "Teste",
        strength: "1 mg",
        dosageForm: "comprimido",
        therapeuticClass,
      },
    },
  );
  return createMedication.id;
}

async function reclassify(id: string, therapeuticClass: string): Promise<void> {
  await admin.ok(
    `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { id } }`,
    {
      id,
      input: { therapeuticClass },
    },
  );
}

/**
 * Units, cost and requests per ward and class of requests delivered in [from, to), from the
 * requests database, each line's class taken from the catalog as it was when the request was
 * made: the catalog's class now, except for the one medication this test reclassified after
 * asking for it (`classThen`).
 */
async function expectedByClass(classThen: Record<string, string>) {
  const { rows } = await pool.query<{
    ward: string;
    class: string | null;
    quantity: number;
    cost: string;
    requests: number;
  }>(
    `WITH delivered AS (
       SELECT r.id, r.ward, (SELECT min(h.at) FROM requests.request_history h
                             WHERE h.request_id = r.id AND h.to_status = 'DELIVERED') AS at
       FROM requests.requests r WHERE r.status = 'DELIVERED'),
     classed AS (
       SELECT d.id, d.ward, i.quantity, i.quantity_dispatched, i.quantity_received, i.unit_cost,
         CASE WHEN c.kind = 'MEDICATION' THEN COALESCE(($3::jsonb)->>(c.id::text), c.therapeutic_class) END AS class
       FROM delivered d JOIN requests.request_items i ON i.request_id = d.id
       JOIN dispensers.catalog_items c ON c.id = i.item_id
       WHERE d.at >= $1 AND d.at < $2)
     SELECT ward, class,
       sum(COALESCE(quantity_received, quantity_dispatched, quantity))::int AS quantity,
       sum(COALESCE(quantity_received, quantity_dispatched, quantity) * unit_cost)::numeric(14, 2)::text AS cost,
       count(DISTINCT id)::int AS requests
     FROM classed GROUP BY 1, 2 ORDER BY 1, 2`,
    [from, to, JSON.stringify(classThen)],
  );
  return rows;
}

beforeAll(async () => {
  pool = adminPool();
  from = (await pool.query<{ now: Date }>("SELECT now() - interval '1 millisecond' AS now")).rows[0]!.now;
  await walkADay();
  // A material: no class.
  await deliver(await create("MATERIAL", [[syringe, 3]]));
  // A medication asked for under one class, reclassified in the catalog before it is delivered.
  reclassified = await newMedication("Classe de teste antes");
  const asked = await create("MEDICATION", [[reclassified, 2]]);
  await reclassify(reclassified, "Classe de teste depois");
  await deliver(asked);
  // A medication picked as a substitute: its line takes the class it has when it is picked.
  substitute = await newMedication("Classe do substituto");
  const preparing = await deliver(await create("MEDICATION", [[dipirona, 3]]), ["ACCEPTED", "PREPARING"]);
  const { recordPick } = await pharmacist.ok<{ recordPick: Ref }>(
    `mutation($input: RecordPickInput!) { recordPick(input: $input) { id version } }`,
    {
      input: {
        requestId: preparing.id,
        expectedVersion: preparing.version,
        lines: [
          {
            itemId: dipirona,
            quantity: 3,
            substituteItemId: substitute,
            lots: [{ lotNumber: "RPT-SUB-1", expiresAt: "2031-12-31", quantity: 3 }],
          },
        ],
      },
    },
  );
  await reclassify(substitute, "Classe do substituto depois");
  await deliver(recordPick, ["DISPATCHED", "DELIVERED"]);
  to = new Date(Date.now() + 3_600_000);
  await readModelCaughtUp(pool, from);
}, 180_000);

afterAll(async () => {
  await pool.end();
});

describe("consumption by therapeutic class", () => {
  it("equals the figures computed from the requests database and the catalog, as classed when asked", async () => {
    const rows = await consumption({ from, to, groupBy: ["WARD", "THERAPEUTIC_CLASS"] });
    const expected = await expectedByClass({
      [reclassified]: "Classe de teste antes",
      [substitute]: "Classe do substituto",
    });
    expect(
      rows.map((row) => [row.group.ward, row.group.therapeuticClass, row.quantity, row.cost, row.requests]),
    ).toEqual(expected.map((row) => [row.ward, row.class, row.quantity, row.cost, row.requests]));
    const classes = rows.map((row) => row.group.therapeuticClass);
    // Dipirona and omeprazol of the walked day, the reclassified and the substitute medications
    // under their classes then, the syringe (and the substituted dipirona's 0 units) under null or its class.
    expect(classes).toEqual(
      expect.arrayContaining([
        "Analgésico e antipirético",
        "Inibidor da bomba de prótons",
        "Classe de teste antes",
        "Classe do substituto",
        null,
      ]),
    );
    expect(classes).not.toContain("Classe de teste depois");
    expect(classes).not.toContain("Classe do substituto depois");
    const { rows: frozen } = await pool.query(
      `SELECT therapeutic_class FROM requests.request_items WHERE item_id = ANY($1) ORDER BY therapeutic_class`,
      [[reclassified, substitute]],
    );
    expect(frozen).toEqual([
      { therapeutic_class: "Classe de teste antes" },
      { therapeutic_class: "Classe do substituto" },
    ]);
  });

  it("groups lines by class alone, a nurse seeing her ward's only", async () => {
    const all = await consumption({ from, to, groupBy: ["THERAPEUTIC_CLASS"] });
    const byWard = await consumption({ from, to, groupBy: ["WARD", "THERAPEUTIC_CLASS"] });
    const summed = new Map<string | null, number>();
    for (const row of byWard)
      summed.set(row.group.therapeuticClass, (summed.get(row.group.therapeuticClass) ?? 0) + row.quantity);
    const byClass = (rows: [string | null, number][]) =>
      [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byClass(all.map((row) => [row.group.therapeuticClass, row.quantity]))).toEqual(
      byClass([...summed.entries()]),
    );
    expect(all.every((row) => row.group.ward === null)).toBe(true);
    const { consumption: nurses } = await nurse.ok<{ consumption: ClassRow[] }>(CONSUMPTION, {
      from,
      to,
      groupBy: ["WARD", "THERAPEUTIC_CLASS"],
    });
    expect(nurses.length).toBeGreaterThan(0);
    expect(nurses.every((row) => row.group.ward === "UTI-ADULTO")).toBe(true);
  });

  it("takes events without the class (older producers) as of unknown class, and a newer event's class wins", async () => {
    // Requests of 2019 in a ward of their own: no other report of the suite reaches them.
    const ward = "RPT-CLASS-LEGACY";
    const base = (requestId: string) => ({
      requestId,
      number: `REQ-LEGACY-${requestId.slice(0, 4)}`,
      kind: "MEDICATION" as const,
      priority: "ROUTINE" as const,
      ward,
      dispenserId: randomUUID(),
      requesterId: randomUUID(),
      assigneeId: null,
      actorId: randomUUID(),
      reasonCode: null,
      reason: null,
    });
    const item = randomUUID();
    const line = {
      itemId: item,
      itemKind: "MEDICATION" as const,
      quantityRequested: 4,
      quantityDispatched: null,
      quantityReceived: null,
      unitCost: 2,
      substitute: false,
    };
    const items = [{ itemId: item, itemKind: "MEDICATION" as const, quantity: 4 }];
    const at = (minute: number) => ({ occurredAt: new Date(Date.UTC(2019, 6, 1, 12, minute)) });
    const lifecycle = (data: Omit<RequestEventData, "status" | "previousStatus" | "version">, when: number) => [
      requestCreated.build({ ...data, status: "PENDING", previousStatus: null, version: 1 }, at(when)),
      requestStatusChanged.build(
        { ...data, status: "DELIVERED", previousStatus: "DISPATCHED", version: 5 },
        at(when + 5),
      ),
    ];
    // One request told only in `items` (before `lines` existed), one with lines but no class.
    const itemsOnly = lifecycle({ ...base(randomUUID()), items }, 0);
    const noClass = lifecycle({ ...base(randomUUID()), items, lines: [line] }, 10);
    // One whose created event (an older producer) has no class and whose delivery has one: the newer wins.
    const upgraded = base(randomUUID());
    const mixed = [
      requestCreated.build(
        { ...upgraded, items, lines: [line], status: "PENDING", previousStatus: null, version: 1 },
        at(20),
      ),
      requestStatusChanged.build(
        {
          ...upgraded,
          items,
          lines: [{ ...line, therapeuticClass: "Classe legada" }],
          status: "DELIVERED",
          previousStatus: "DISPATCHED",
          version: 5,
        },
        at(25),
      ),
    ];
    // On the wire as older producers wrote them: no `lines`, or lines with no therapeuticClass key.
    const published: EventEnvelope<RequestEventData>[] = [...itemsOnly, ...noClass, ...mixed];
    const nc = await connect({ servers: testStack().natsUrl });
    for (const event of published) {
      await jetstream(nc).publish(event.subject, JSON.stringify(event), { msgID: event.id });
    }
    await nc.drain();
    await eventually(
      async () => {
        const { rows } = await pool.query(
          `SELECT 1 FROM reports.processed_events WHERE consumer LIKE 'reports-request-%' AND event_id = ANY($1)`,
          [published.map((event) => event.id)],
        );
        return rows.length === published.length;
      },
      30_000,
      "the older producers' events processed",
    );
    const rows = await consumption({
      from: "2019-07-01T00:00:00Z",
      to: "2019-07-02T00:00:00Z",
      groupBy: ["THERAPEUTIC_CLASS"],
      ward,
    });
    expect(rows).toEqual([
      { group: { ward: null, therapeuticClass: "Classe legada" }, quantity: 4, cost: "8.00", requests: 1 },
      // items only: no unit cost known (0); lines without class: 4 × 2.
      { group: { ward: null, therapeuticClass: null }, quantity: 8, cost: "8.00", requests: 2 },
    ]);
  });
});
