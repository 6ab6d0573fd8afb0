/**
 * Controlled substances carry their Portaria SVS/MS 344/98 list (`Medication.controlList`),
 * and `controlled` is derived from it, through the gateway as clients see them. The
 * deprecated `controlled` input is honoured only where it agrees with a list; a refusal is a
 * BAD_USER_INPUT naming the field and changes nothing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { asGateway } from "@asky/stack/testing";
import { adminPool, codeOf, itemId, unique } from "./support.js";

interface Classified {
  id: string;
  code: string;
  controlList: string | null;
  controlled: boolean;
}

const fields = "id code controlList controlled";
const MEDICATION = `query($id: ID!) { medication(id: $id) { ${fields} } }`;
const CATALOG = `query($after: String) { catalog(kind: MEDICATION, first: 100, after: $after) {
  edges { node { ... on Medication { ${fields} } } } pageInfo { hasNextPage endCursor } } }`;
const CREATE = `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { ${fields} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { ${fields} } }`;

const nurse = asGateway("nurse@asky.dev");
const pharmacist = asGateway("pharmacist@asky.dev");
const pool = adminPool();

afterAll(async () => {
  await pool.end();
});

const newMedication = (extra: Record<string, unknown> = {}) => ({
  code: `MED-${unique("LISTA")}`,
  name: "Controlina 5 mg comprimido",
  unit: "comprimido",
  unitCost: 1.25,
  activeIngredient: "Controlina",
  strength: "5 mg",
  dosageForm: "comprimido",
  ...extra,
});

async function create(extra: Record<string, unknown>): Promise<Classified> {
  const { createMedication } = await pharmacist.ok<{ createMedication: Classified }>(CREATE, {
    input: newMedication(extra),
  });
  return createMedication;
}

/** The stored row: what the database derived, and when the row last changed. */
async function stored(code: string): Promise<{ control_list: string | null; controlled: boolean; updated_at: Date }> {
  const { rows } = await pool.query(
    "select control_list, controlled, updated_at from dispensers.catalog_items where code = $1",
    [code],
  );
  return rows[0];
}

const refusal = (body: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) => ({
  code: codeOf(body),
  field: body.errors?.[0]?.extensions?.field,
});

describe("controlled substance lists", () => {
  it("reads the seeded lists, with controlled consistent, for a nurse", async () => {
    const read = async (code: string) =>
      (await nurse.ok<{ medication: Classified }>(MEDICATION, { id: itemId(code) })).medication;
    expect(await read("MED-MORFINA-10-AMP")).toMatchObject({ controlList: "A1", controlled: true });
    expect(await read("MED-TRAMADOL-50-CAP")).toMatchObject({ controlList: "A2", controlled: true });
    expect(await read("MED-MIDAZOLAM-5-AMP")).toMatchObject({ controlList: "B1", controlled: true });
    expect(await read("MED-HALOPERIDOL-5-AMP")).toMatchObject({ controlList: "C1", controlled: true });
    expect(await read("MED-DIPIRONA-500-CP")).toMatchObject({ controlList: null, controlled: false });

    const medications: Classified[] = [];
    let after: string | null = null;
    type CatalogPage = {
      catalog: { edges: { node: Classified }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    do {
      const { catalog }: CatalogPage = await nurse.ok<CatalogPage>(CATALOG, { after });
      medications.push(...catalog.edges.map((edge) => edge.node));
      after = catalog.pageInfo.hasNextPage ? catalog.pageInfo.endCursor : null;
    } while (after);
    expect(medications.length).toBeGreaterThan(80);
    expect(medications.filter((m) => m.controlled !== (m.controlList !== null))).toEqual([]);
    expect(medications.filter((m) => m.controlled).length).toBeGreaterThanOrEqual(28);
  });

  it("creates with controlList alone, with an agreeing controlled, and uncontrolled", async () => {
    const listed = await create({ controlList: "B1" });
    expect(listed).toMatchObject({ controlList: "B1", controlled: true });
    expect(await stored(listed.code)).toMatchObject({ control_list: "B1", controlled: true });
    expect(await create({ controlList: "C2", controlled: true })).toMatchObject({
      controlList: "C2",
      controlled: true,
    });
    expect(await create({})).toMatchObject({ controlList: null, controlled: false });
    expect(await create({ controlled: false })).toMatchObject({ controlList: null, controlled: false });
    expect(await create({ controlList: null })).toMatchObject({ controlList: null, controlled: false });
  });

  it("refuses a controlled medication without a list, and a contradiction, creating nothing", async () => {
    for (const [extra, field] of [
      [{ controlled: true }, "controlList"],
      [{ controlled: true, controlList: null }, "controlList"],
      [{ controlled: false, controlList: "A1" }, "controlled"],
    ] as const) {
      const input = newMedication(extra);
      const body = await pharmacist.call(CREATE, { input });
      expect(refusal(body), JSON.stringify(extra)).toEqual({ code: "BAD_USER_INPUT", field });
      expect(await stored(input.code)).toBeUndefined();
    }
  });

  it("updates the list, clears it with null, and leaves it when not sent", async () => {
    const item = await create({});
    const update = async (input: Record<string, unknown>) =>
      (await pharmacist.ok<{ updateMedication: Classified }>(UPDATE, { id: item.id, input })).updateMedication;
    expect(await update({ controlList: "A1" })).toMatchObject({ controlList: "A1", controlled: true });
    expect(await update({ name: "Controlina 5 mg comprimido revestido" })).toMatchObject({ controlList: "A1" });
    expect(await update({ controlList: "C1", controlled: true })).toMatchObject({ controlList: "C1" });
    expect(await update({ controlList: null })).toMatchObject({ controlList: null, controlled: false });
    expect(await stored(item.code)).toMatchObject({ control_list: null, controlled: false });
    await update({ controlList: "B2" });
    // The deprecated flag alone can still take a medication off the lists.
    expect(await update({ controlled: false })).toMatchObject({ controlList: null, controlled: false });
  });

  it("refuses contradictory updates, changing nothing", async () => {
    const item = await create({ controlList: "A2" });
    const before = await stored(item.code);
    for (const [input, field] of [
      [{ controlled: true }, "controlList"],
      [{ controlled: true, controlList: null }, "controlList"],
      [{ controlled: false, controlList: "B1" }, "controlled"],
      [{ controlled: true, name: "Renomeada" }, "controlList"],
    ] as const) {
      const body = await pharmacist.call(UPDATE, { id: item.id, input });
      expect(refusal(body), JSON.stringify(input)).toEqual({ code: "BAD_USER_INPUT", field });
    }
    expect(await stored(item.code)).toEqual(before);
    expect((await nurse.ok<{ medication: Classified }>(MEDICATION, { id: item.id })).medication).toMatchObject({
      controlList: "A2",
      controlled: true,
    });
  });

  it("refuses values that are not a list with a coded error, changing nothing", async () => {
    const item = await create({ controlList: "C1" });
    const before = await stored(item.code);
    for (const controlList of ["A9", "a1", "D1", "", "A1 ", 1, true]) {
      const input = newMedication({ controlList });
      const created = await pharmacist.call(CREATE, { input });
      expect(codeOf(created), String(controlList)).toBe("BAD_USER_INPUT");
      expect(await stored(input.code)).toBeUndefined();
      const updated = await pharmacist.call(UPDATE, { id: item.id, input: { controlList } });
      expect(codeOf(updated), String(controlList)).toBe("BAD_USER_INPUT");
    }
    // A string literal where the enum belongs fails validation of the document itself.
    const literal = await pharmacist.call(
      `mutation($id: ID!) { updateMedication(id: $id, input: { controlList: "A1" }) { id } }`,
      { id: item.id },
    );
    expect(codeOf(literal)).toBe("BAD_USER_INPUT");
    expect(await stored(item.code)).toEqual(before);
  });
});
