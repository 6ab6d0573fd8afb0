/**
 * The requests service remembers cabinets and catalog items it asked the dispensers service
 * about (30 s). A change made there must apply to the next request at once, not after the
 * TTL: the dispensers service hints every change over NATS. Waits here are a few seconds at
 * most, far below the TTL, so only the hint can make them pass.
 */
import { describe, expect, it } from "vitest";
import { admin, codeOf, create, eventually, newCabinet, nurse, ok, pharmacist, tryCreate, unique } from "./support.js";

const HINT_WAIT_MS = 5_000;

const setStatus = (id: string, status: string) =>
  ok(
    admin,
    `mutation($id: ID!, $status: DispenserStatus) { updateDispenser(id: $id, input: { status: $status }) { id } }`,
    { id, status },
  );

async function newMedication(unitCost: number): Promise<string> {
  const code = unique("MED-CACHE");
  const data = await ok<{ createMedication: { id: string } }>(
    pharmacist,
    `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`,
    {
      input: {
        code,
        name: `Cache ${code}`,
        unit: "comprimido",
        unitCost,
        activeIngredient: "teste",
        strength: "1 mg",
        dosageForm: "comprimido",
      },
    },
  );
  return data.createMedication.id;
}

describe("what the requests service remembers of the dispensers service", () => {
  it("refuses goods for a cabinet as soon as it goes offline, and takes them again once it is back", async () => {
    const cabinet = await newCabinet("UTI-ADULTO", "ONLINE");
    const medication = await newMedication(1.25);
    const order = { kind: "MEDICATION", dispenserId: cabinet, items: [{ itemId: medication, quantity: 1 }] };
    await create(nurse, order); // the cabinet and the item are now remembered

    await setStatus(cabinet, "OFFLINE");
    const refused = await eventually(
      async () => {
        const body = await tryCreate(nurse, order);
        return codeOf(body) === "CONFLICT" ? body : null;
      },
      HINT_WAIT_MS,
      "an OFFLINE cabinet to be refused",
    );
    expect(refused.errors![0]!.extensions).toMatchObject({
      reason: "DISPENSER_UNAVAILABLE",
      dispenserStatus: "OFFLINE",
    });

    await setStatus(cabinet, "ONLINE");
    const accepted = await eventually(
      async () => {
        const body = await tryCreate(nurse, order);
        return body.data ? body : null;
      },
      HINT_WAIT_MS,
      "the cabinet to take requests again",
    );
    expect(accepted.errors).toBeUndefined();
  });

  it("freezes the new unit cost as soon as the pharmacy changes a price", async () => {
    const cabinet = await newCabinet("UTI-ADULTO", "ONLINE");
    const medication = await newMedication(2);
    const order = { kind: "MEDICATION", dispenserId: cabinet, items: [{ itemId: medication, quantity: 3 }] };
    expect((await create(nurse, order)).totalCost).toBe(6);

    await ok(pharmacist, `mutation($id: ID!) { updateMedication(id: $id, input: { unitCost: 2.5 }) { id } }`, {
      id: medication,
    });
    const repriced = await eventually(
      async () => {
        const request = await create(nurse, order);
        return request.totalCost === 7.5 ? request : null;
      },
      HINT_WAIT_MS,
      "the new price to apply",
    );
    expect(repriced.items[0]).toMatchObject({ quantity: 3, unitCost: 2.5 });
  });
});
