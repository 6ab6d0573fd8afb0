import type { CatalogItemRow } from "../data/catalog.js";
import type { CatalogItemResolvers, MaterialResolvers, MedicationResolvers } from "../generated/resolvers-types.js";

/** Postgres numeric arrives as a string; money fields are exposed as Float. */
const unitCost = (row: CatalogItemRow) => Number(row.unitCost);

/** Medication columns are nullable in the shared table; a check constraint guarantees them. */
function medicationField(row: CatalogItemRow, value: string | null, field: string): string {
  if (value === null) throw new Error(`catalog item ${row.id} is a medication without ${field}`);
  return value;
}

export const CatalogItem: CatalogItemResolvers = {
  __resolveType: (row) => (row.kind === "MEDICATION" ? "Medication" : "Material"),
  // References arrive as the interface (requests hold only ids), so the concrete type
  // is decided here, from the row.
  __resolveReference: (reference, { loaders }) => loaders.catalogItem.load(reference.id),
};

export const Medication: MedicationResolvers = {
  __resolveReference: async (reference, { loaders }) => {
    const row = await loaders.catalogItem.load(reference.id);
    return row?.kind === "MEDICATION" ? row : null;
  },
  unitCost,
  activeIngredient: (row) => medicationField(row, row.activeIngredient, "activeIngredient"),
  strength: (row) => medicationField(row, row.strength, "strength"),
  dosageForm: (row) => medicationField(row, row.dosageForm, "dosageForm"),
  // Derived from the list here too (not read from the generated column), so the two fields
  // of one answer can never disagree, whatever row shape a cache holds.
  controlled: (row) => row.controlList !== null,
};

export const Material: MaterialResolvers = {
  __resolveReference: async (reference, { loaders }) => {
    const row = await loaders.catalogItem.load(reference.id);
    return row?.kind === "MATERIAL" ? row : null;
  },
  unitCost,
};
