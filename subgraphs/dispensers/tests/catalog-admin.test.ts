import { describe, expect, it } from "vitest";
import { as, call, codeOf, ok, unique } from "./support.js";

interface Item {
  __typename: string;
  id: string;
  code: string;
  name: string;
  unit: string;
  unitCost: number;
  controlled?: boolean;
  controlList?: string | null;
  activeIngredient?: string;
  description?: string | null;
}

const common = "__typename id code name unit unitCost";
const itemFields = `${common} activeIngredient strength dosageForm area therapeuticClass controlList controlled`;
const materialFields = `${common} description`;
const createMedication = `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { ${itemFields} } }`;
const updateMedication = `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { ${itemFields} } }`;
const createMaterial = `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { ${materialFields} } }`;
const updateMaterial = `mutation($id: ID!, $input: UpdateMaterialInput!) { updateMaterial(id: $id, input: $input) { ${materialFields} } }`;
const search = `query($s: String!) { catalog(search: $s, first: 20) { edges { node { id name } } } }`;

const medication = (marker = unique("ZZ")) => ({
  code: `MED-${marker}`,
  name: `Morfina Sulfato Teste ${marker}`,
  unit: "ampola",
  unitCost: 12.5,
  activeIngredient: "Sulfato de morfina",
  strength: "10 mg/mL",
  dosageForm: "Solução injetável",
  controlList: "A1",
});

describe("catalog administration", () => {
  it("creates a controlled medication that accent-insensitive search finds at once", async () => {
    const marker = unique("ÇÃO");
    const input = { ...medication(unique("X")), name: `Solução Ácida ${marker}` };
    const { createMedication: item } = await ok<{ createMedication: Item }>(as.pharmacist, createMedication, { input });
    expect(item).toMatchObject({
      __typename: "Medication",
      code: input.code,
      unitCost: 12.5,
      controlList: "A1",
      controlled: true,
    });
    const folded = `solucao acida ${marker
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{Diacritic}/gu, "")}`;
    const { catalog } = await ok<{ catalog: { edges: { node: { id: string } }[] } }>(as.nurse, search, { s: folded });
    expect(catalog.edges.map((edge) => edge.node.id)).toEqual([item.id]);
  });

  it("keeps search_text in step with renames", async () => {
    const { createMedication: item } = await ok<{ createMedication: Item }>(as.admin, createMedication, {
      input: medication(),
    });
    const marker = unique("RENOMEADO").toLowerCase();
    await ok(as.pharmacist, updateMedication, {
      id: item.id,
      input: { name: `Dipirona Sódica ${marker}`, unitCost: 0.35 },
    });
    const { catalog } = await ok<{ catalog: { edges: { node: { id: string; name: string } }[] } }>(as.nurse, search, {
      s: `DIPIRONA SODICA ${marker}`,
    });
    expect(catalog.edges.map((edge) => edge.node.id)).toEqual([item.id]);
    const { medication: read } = await ok<{ medication: Item }>(
      as.nurse,
      `query($id: ID!) { medication(id: $id) { ${itemFields} } }`,
      {
        id: item.id,
      },
    );
    expect(read).toMatchObject({ unitCost: 0.35, activeIngredient: "Sulfato de morfina" });
  });

  it("creates and updates materials", async () => {
    const input = {
      code: `MAT-${unique("LUVA")}`,
      name: "Luva de procedimento M",
      unit: "par",
      unitCost: 0.4,
      description: "Látex",
    };
    const { createMaterial: item } = await ok<{ createMaterial: Item }>(as.pharmacist, createMaterial, { input });
    expect(item).toMatchObject({ __typename: "Material", description: "Látex", unitCost: 0.4 });
    const { updateMaterial: updated } = await ok<{ updateMaterial: Item }>(as.admin, updateMaterial, {
      id: item.id,
      input: { description: null, unitCost: 0 },
    });
    expect(updated).toMatchObject({ description: null, unitCost: 0 });
  });

  it("allows catalog writes to pharmacists and admins only", async () => {
    for (const who of [as.nurse, as.tech]) {
      expect(codeOf(await call(who, createMedication, { input: medication() }))).toBe("FORBIDDEN");
    }
  });

  it("refuses bad costs, duplicate codes and the wrong kind, changing nothing", async () => {
    const input = medication();
    for (const unitCost of [-1, 1.234, 1e13]) {
      expect(codeOf(await call(as.admin, createMedication, { input: { ...input, unitCost } })), String(unitCost)).toBe(
        "BAD_USER_INPUT",
      );
    }
    expect(codeOf(await call(as.admin, createMedication, { input: { ...input, strength: "x".repeat(81) } }))).toBe(
      "BAD_USER_INPUT",
    );
    const { createMedication: item } = await ok<{ createMedication: Item }>(as.admin, createMedication, { input });
    expect(codeOf(await call(as.admin, createMedication, { input }))).toBe("CONFLICT");
    expect(
      codeOf(await call(as.admin, createMaterial, { input: { code: input.code, name: "X", unit: "un", unitCost: 1 } })),
    ).toBe("CONFLICT");
    // A medication is not a material: same NOT_FOUND as an unknown id.
    expect(codeOf(await call(as.admin, updateMaterial, { id: item.id, input: { name: "X" } }))).toBe("NOT_FOUND");
    expect(codeOf(await call(as.admin, updateMedication, { id: item.id, input: { name: null } }))).toBe(
      "BAD_USER_INPUT",
    );
    const { medication: unchanged } = await ok<{ medication: Item }>(
      as.admin,
      `query($id: ID!) { medication(id: $id) { name } }`,
      {
        id: item.id,
      },
    );
    expect(unchanged.name).toBe(input.name);
  });
});
