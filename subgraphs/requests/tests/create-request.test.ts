import { afterAll, describe, expect, it } from "vitest";
import {
  adminPool,
  codeOf,
  create,
  dipirona,
  idOf,
  newCabinet,
  nurse,
  ok,
  paracetamol,
  pedsCabinet,
  pedsNurse,
  pharmacist,
  syringe,
  tech,
  tryCreate,
  unique,
  utiCabinet,
} from "./support.js";

const pool = adminPool();
afterAll(() => pool.end());

async function unitCost(id: string): Promise<number> {
  const data = await ok<{ medication: { unitCost: number } | null; material: { unitCost: number } | null }>(
    pharmacist,
    `query($id: ID!) { medication(id: $id) { unitCost } material(id: $id) { unitCost } }`,
    { id },
  );
  return (data.medication ?? data.material)!.unitCost;
}

describe("createRequest", () => {
  it("opens a medication request with merged lines, frozen unit costs and the total", async () => {
    const [dipironaCost, paracetamolCost] = await Promise.all([unitCost(dipirona), unitCost(paracetamol)]);
    const request = await create(nurse, {
      kind: "MEDICATION",
      priority: "STAT",
      dispenserId: utiCabinet,
      items: [
        { itemId: dipirona, quantity: 2 },
        { itemId: paracetamol, quantity: 1 },
        { itemId: dipirona.toUpperCase(), quantity: 3 },
      ],
      note: "  Paciente do leito 4  ",
    });
    expect(request).toMatchObject({
      kind: "MEDICATION",
      priority: "STAT",
      status: "PENDING",
      version: 1,
      ward: "UTI-ADULTO",
      note: "Paciente do leito 4",
      requester: { id: idOf(nurse) },
      dispenser: { id: utiCabinet },
      assistanceReason: null,
    });
    expect(request.number).toMatch(/^REQ-\d{6,}$/);
    const byItem = Object.fromEntries(request.items.map((line) => [line.item.id, line]));
    expect(byItem[dipirona]).toMatchObject({ quantity: 5, unitCost: dipironaCost });
    expect(byItem[paracetamol]).toMatchObject({ quantity: 1, unitCost: paracetamolCost });
    expect(request.items).toHaveLength(2);
    expect(request.totalCost).toBeCloseTo(5 * dipironaCost + paracetamolCost, 2);
  });

  it("defaults the priority to ROUTINE and numbers requests from the sequence", async () => {
    const a = await create(nurse, {
      kind: "MATERIAL",
      dispenserId: utiCabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    const b = await create(nurse, {
      kind: "MATERIAL",
      dispenserId: utiCabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    expect(a.priority).toBe("ROUTINE");
    expect(Number(b.number.slice(4))).toBeGreaterThan(Number(a.number.slice(4)));
  });

  it("keeps nurses to their own ward's cabinets; the pharmacy asks for any ward", async () => {
    const input = { kind: "MEDICATION", dispenserId: pedsCabinet, items: [{ itemId: dipirona, quantity: 1 }] };
    expect(codeOf(await tryCreate(nurse, input))).toBe("FORBIDDEN");
    expect((await create(pedsNurse, input)).ward).toBe("PEDIATRIA");
    expect((await create(pharmacist, input)).requester.id).toBe(idOf(pharmacist));
  });

  it("checks kinds against the catalog and the role", async () => {
    const medicationWithMaterial = {
      kind: "MEDICATION",
      dispenserId: utiCabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    };
    const body = await tryCreate(nurse, medicationWithMaterial);
    expect(codeOf(body)).toBe("BAD_USER_INPUT");
    expect(body.errors![0]!.extensions!.itemIds).toEqual([syringe]);
    const unknownItem = "00000000-0000-4000-8000-000000000000";
    const unknown = await tryCreate(nurse, {
      kind: "MATERIAL",
      dispenserId: utiCabinet,
      items: [{ itemId: unknownItem, quantity: 1 }],
    });
    expect(codeOf(unknown)).toBe("BAD_USER_INPUT");
    expect(unknown.errors![0]!.extensions!.itemIds).toEqual([unknownItem]);
    expect(
      codeOf(
        await tryCreate(nurse, {
          kind: "MATERIAL",
          dispenserId: unknownItem,
          items: [{ itemId: syringe, quantity: 1 }],
        }),
      ),
    ).toBe("NOT_FOUND");
    // Nurses do not open restocks; technicians do not ask for medication.
    expect(
      codeOf(
        await tryCreate(nurse, { kind: "RESTOCK", dispenserId: utiCabinet, items: [{ itemId: syringe, quantity: 1 }] }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      codeOf(
        await tryCreate(tech, {
          kind: "MEDICATION",
          dispenserId: utiCabinet,
          items: [{ itemId: dipirona, quantity: 1 }],
        }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("bounds the input", async () => {
    const item = (quantity: number) => ({ itemId: syringe, quantity });
    const base = { kind: "MATERIAL", dispenserId: utiCabinet };
    const tooMany = Array.from({ length: 51 }, (_, i) => ({
      itemId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      quantity: 1,
    }));
    const cases: Record<string, unknown>[] = [
      { ...base, items: [] },
      { ...base },
      { ...base, items: tooMany },
      { ...base, items: [item(0)] },
      { ...base, items: [item(10_001)] },
      { ...base, items: [item(6_000), item(6_000)] },
      { ...base, items: [{ itemId: "not-an-id", quantity: 1 }] },
      { ...base, items: [item(1)], note: "x".repeat(1001) },
      { ...base, items: [item(1)], idempotencyKey: "" },
      { ...base, items: [item(1)], idempotencyKey: "k".repeat(201) },
      { ...base, items: [item(1)], reason: "DRAWER_JAMMED" },
      { kind: "ASSISTANCE", dispenserId: utiCabinet },
      { kind: "ASSISTANCE", dispenserId: utiCabinet, reason: "OTHER" },
      { kind: "ASSISTANCE", dispenserId: utiCabinet, reason: "DRAWER_JAMMED", items: [item(1)] },
      { ...base, dispenserId: "PYX-UTI-01", items: [item(1)] },
    ];
    for (const input of cases)
      expect(codeOf(await tryCreate(nurse, input)), JSON.stringify(input).slice(0, 200)).toBe("BAD_USER_INPUT");
  });

  it("opens ASSISTANCE with a reason for a cabinet in any state; goods need an ONLINE cabinet", async () => {
    const cabinet = await newCabinet("UTI-ADULTO", "MAINTENANCE");
    const help = await create(nurse, {
      kind: "ASSISTANCE",
      dispenserId: cabinet,
      reason: "OTHER",
      note: "Tela apagada",
    });
    expect(help).toMatchObject({
      kind: "ASSISTANCE",
      assistanceReason: "OTHER",
      note: "Tela apagada",
      items: [],
      totalCost: 0,
    });
    const jammed = await create(nurse, { kind: "ASSISTANCE", dispenserId: cabinet, reason: "DRAWER_JAMMED" });
    expect(jammed.assistanceReason).toBe("DRAWER_JAMMED");
    const body = await tryCreate(nurse, {
      kind: "MATERIAL",
      dispenserId: cabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    expect(codeOf(body)).toBe("CONFLICT");
    expect(body.errors![0]!.extensions).toMatchObject({
      reason: "DISPENSER_UNAVAILABLE",
      dispenserStatus: "MAINTENANCE",
    });
  });

  it("opens one RESTOCK per cabinet (pharmacy only), mixing medications and materials", async () => {
    const cabinet = await newCabinet();
    const restock = await create(tech, {
      kind: "RESTOCK",
      dispenserId: cabinet,
      items: [
        { itemId: syringe, quantity: 50 },
        { itemId: dipirona, quantity: 30 },
      ],
    });
    expect(restock).toMatchObject({ kind: "RESTOCK", requester: { id: idOf(tech) } });
    expect(restock.items).toHaveLength(2);
    const second = await tryCreate(pharmacist, {
      kind: "RESTOCK",
      dispenserId: cabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    expect(codeOf(second)).toBe("CONFLICT");
    expect(second.errors![0]!.extensions).toMatchObject({ reason: "RESTOCK_ALREADY_OPEN", requestId: restock.id });
  });
});

describe("createRequest idempotency", () => {
  const input = (key: string, quantity = 1) => ({
    kind: "MEDICATION",
    dispenserId: utiCabinet,
    items: [{ itemId: dipirona, quantity }],
    idempotencyKey: key,
  });

  it("creates one request for 20 concurrent calls with one key, and returns it to each", async () => {
    const key = unique("race");
    const results = await Promise.all(Array.from({ length: 20 }, () => tryCreate(nurse, input(key))));
    for (const body of results) expect(body.errors).toBeUndefined();
    const ids = new Set(results.map((body) => body.data!.createRequest.id));
    expect(ids.size).toBe(1);
    const { rows } = await pool.query(`select id from requests.requests where idempotency_key = $1`, [key]);
    expect(rows).toHaveLength(1);
    const history = await pool.query(`select 1 from requests.request_history where request_id = $1`, [rows[0].id]);
    expect(history.rowCount).toBe(1);
    const outbox = await pool.query(`select 1 from requests.outbox where payload->'data'->>'requestId' = $1`, [
      rows[0].id,
    ]);
    expect(outbox.rowCount).toBe(1);
  });

  it("returns the same request on a retry, and CONFLICT for the same key with a different body", async () => {
    const key = unique("retry");
    const first = await create(nurse, input(key));
    const again = await create(nurse, { ...input(key), items: [{ itemId: dipirona.toUpperCase(), quantity: 1 }] });
    expect(again.id).toBe(first.id);
    const body = await tryCreate(nurse, input(key, 2));
    expect(codeOf(body)).toBe("CONFLICT");
    expect(body.errors![0]!.extensions).toMatchObject({ reason: "IDEMPOTENCY_KEY_REUSED", requestId: first.id });
    // Keys belong to their requester: another nurse's identical key is another request.
    const other = await create(pedsNurse, { ...input(key), dispenserId: pedsCabinet });
    expect(other.id).not.toBe(first.id);
  });
});
