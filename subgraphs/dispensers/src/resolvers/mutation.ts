import type { CatalogItemRow } from "../data/catalog.js";
import type { MutationResolvers } from "../generated/resolvers-types.js";
import { closeControlledBookPeriod } from "../services/book-closing.js";
import { createCatalogItem, updateCatalogItem } from "../services/catalog-admin.js";
import { createDispenser, rotateDispenserQr, updateDispenser } from "../services/dispenser-admin.js";
import { setParLevels } from "../services/par-levels.js";
import { adjustStock } from "../services/stock-adjustment.js";
import {
  validateMaterialChanges,
  validateMedicationChanges,
  validateNewMaterial,
  validateNewMedication,
} from "../validation/catalog-input.js";

/** Mutations only translate GraphQL to services; rules live in validation/, domain/ and services/. */
export const Mutation: MutationResolvers = {
  createDispenser: (_parent, { input }, context) => createDispenser(context, input),
  updateDispenser: (_parent, { id, input }, context) => updateDispenser(context, id, input),
  rotateDispenserQr: (_parent, { id }, context) => rotateDispenserQr(context, id),
  createMedication: (_parent, { input }, context): Promise<CatalogItemRow> =>
    createCatalogItem(context, "MEDICATION", validateNewMedication(input)),
  updateMedication: (_parent, { id, input }, context) =>
    updateCatalogItem(context, "MEDICATION", id, validateMedicationChanges(input)),
  createMaterial: (_parent, { input }, context) => createCatalogItem(context, "MATERIAL", validateNewMaterial(input)),
  updateMaterial: (_parent, { id, input }, context) =>
    updateCatalogItem(context, "MATERIAL", id, validateMaterialChanges(input)),
  adjustStock: (_parent, { input }, context) => adjustStock(context, input),
  setParLevels: (_parent, args, context) => setParLevels(context, args),
  closeControlledBookPeriod: (_parent, args, context) => closeControlledBookPeriod(context, args),
};
