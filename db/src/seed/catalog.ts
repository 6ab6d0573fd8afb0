/** The demo formulary as one list of catalog items with their deterministic ids. */
import { catalogSearchText } from "../search.js";
import { materials, medications } from "./data/formulary.js";
import { itemId } from "./ids.js";
import { decimalToCents } from "@asky/runtime";

export interface SeedCatalogItem {
  id: string;
  code: string;
  kind: "MEDICATION" | "MATERIAL";
  name: string;
  unit: string;
  unitCost: string;
  unitCostCents: number;
  area: string | null;
  /** Derived from the formulary's `controlList`, as the database derives it. */
  controlled: boolean;
  searchText: string;
}

export const catalog: readonly SeedCatalogItem[] = [
  ...medications.map((m): SeedCatalogItem => ({
    id: itemId(m.code),
    code: m.code,
    kind: "MEDICATION",
    name: m.name,
    unit: m.unit,
    unitCost: m.unitCost,
    unitCostCents: decimalToCents(m.unitCost),
    area: m.area,
    controlled: m.controlList !== null,
    searchText: catalogSearchText(m.name, m.activeIngredient),
  })),
  ...materials.map((m): SeedCatalogItem => ({
    id: itemId(m.code),
    code: m.code,
    kind: "MATERIAL",
    name: m.name,
    unit: m.unit,
    unitCost: m.unitCost,
    unitCostCents: decimalToCents(m.unitCost),
    area: null,
    controlled: false,
    searchText: catalogSearchText(m.name),
  })),
];

const byCode = new Map(catalog.map((item) => [item.code, item]));

export function catalogItem(code: string): SeedCatalogItem {
  const item = byCode.get(code);
  if (!item) throw new Error(`seed catalog item not found: ${code}`);
  return item;
}
