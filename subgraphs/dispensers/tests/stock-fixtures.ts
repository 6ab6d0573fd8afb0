/** A fresh cabinet and item per test, so stock tests never depend on (or disturb) the seed. */
import { as, ok, unique } from "./support.js";

export const levelFields = `id quantity parLevel minLevel low available suggestedRestock
  lots { lotNumber expiresAt quantity expired } item { id name } dispenser { id code }`;

export interface Level {
  id: string;
  quantity: number;
  parLevel: number;
  minLevel: number;
  low: boolean;
  available: number;
  suggestedRestock: number;
  lots: { lotNumber: string; expiresAt: string; quantity: number; expired: boolean }[];
  item: { id: string; name: string };
  dispenser: { id: string; code: string };
}

export const adjustStock = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { ${levelFields} } }`;
export const setParLevels = `mutation($d: ID!, $i: ID!, $par: Int!, $min: Int!) {
  setParLevels(dispenserId: $d, itemId: $i, parLevel: $par, minLevel: $min) { ${levelFields} } }`;

export async function freshCabinet(ward = "CLINICA-CIRURGICA"): Promise<{ id: string; code: string }> {
  const code = unique("PYX-STK");
  const { createDispenser } = await ok<{ createDispenser: { id: string; code: string } }>(
    as.admin,
    `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id code } }`,
    { input: { code, name: `Cabinet ${code}`, ward, location: "Sala de preparo" } },
  );
  return createDispenser;
}

export async function freshItem(): Promise<string> {
  const code = unique("MAT-STK");
  const { createMaterial } = await ok<{ createMaterial: { id: string } }>(
    as.pharmacist,
    `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`,
    { input: { code, name: `Seringa ${code}`, unit: "unidade", unitCost: 0.9 } },
  );
  return createMaterial.id;
}

/** `YYYY-MM-DD`, `days` from today (UTC; tests keep a margin of a day or more from "today"). */
export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function slot(): Promise<{ dispenserId: string; itemId: string; code: string }> {
  const [cabinet, itemId] = await Promise.all([freshCabinet(), freshItem()]);
  return { dispenserId: cabinet.id, itemId, code: cabinet.code };
}

export async function adjust(input: Record<string, unknown>, who = as.tech): Promise<Level> {
  return (await ok<{ adjustStock: Level }>(who, adjustStock, { input })).adjustStock;
}
