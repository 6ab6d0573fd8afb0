import { randomUUID } from "node:crypto";
import { gql } from "@asky/stack/testing";

async function call<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const { body } = await gql<T>(query, variables, { token });
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** One item in one cabinet of its own, so alerts in a test are the test's alone. */
export interface StockSlot {
  dispenserId: string;
  itemId: string;
}

/**
 * A new cabinet of `ward` and a new material. Its code sorts after the seeded cabinets', so
 * tests that take a ward's first cabinet keep taking a seeded one.
 */
export async function freshSlot(ward: string, tokens: { admin: string; pharmacist: string }): Promise<StockSlot> {
  const code = `PYX-ZSTK-${randomUUID().slice(0, 8).toUpperCase()}`;
  const [{ createDispenser }, { createMaterial }] = await Promise.all([
    call<{ createDispenser: { id: string } }>(
      `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
      { input: { code, name: `Cabinet ${code}`, ward, location: "Posto de enfermagem" } },
      tokens.admin,
    ),
    call<{ createMaterial: { id: string } }>(
      `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`,
      { input: { code: `MAT-${code}`, name: `Luva ${code}`, unit: "par", unitCost: 0.35 } },
      tokens.pharmacist,
    ),
  ]);
  return { dispenserId: createDispenser.id, itemId: createMaterial.id };
}

interface Level {
  quantity: number;
  low: boolean;
}

/** Par 40, minimum 10 (set by the first adjustment, which creates the level). */
export async function adjust(slot: StockSlot, delta: number, token: string): Promise<Level> {
  const { adjustStock } = await call<{ adjustStock: Level }>(
    `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity low } }`,
    {
      input: {
        ...slot,
        delta,
        reason: delta > 0 ? "RESTOCK" : "COUNT_CORRECTION",
        parLevel: 40,
        minLevel: 10,
      },
    },
    token,
  );
  return adjustStock;
}
