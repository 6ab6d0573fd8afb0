import type {
  CreateMaterialInput,
  CreateMedicationInput,
  UpdateMaterialInput,
  UpdateMedicationInput,
} from "../generated/resolvers-types.js";
import type { ControlList } from "@asky/contracts";
import { changed, changedOptional, codeText, moneyInput, optionalText, requiredText } from "@asky/runtime";
import { controlListInput } from "./control-list.js";
import { LIMITS } from "./limits.js";

/** Columns a catalog write may set (search_text is derived by the service). */
export interface CatalogValues {
  code: string;
  name: string;
  unit: string;
  unitCost: string;
  activeIngredient: string | null;
  strength: string | null;
  dosageForm: string | null;
  area: string | null;
  therapeuticClass: string | null;
  /** The `controlled` column is derived from this one by Postgres and never written. */
  controlList: ControlList | null;
  description: string | null;
}

export type CatalogChanges = Partial<CatalogValues>;

const common = (input: { code: string; name: string; unit: string; unitCost: number }) => ({
  code: codeText(input.code, "code", LIMITS.itemCode),
  name: requiredText(input.name, "name", LIMITS.name),
  unit: requiredText(input.unit, "unit", LIMITS.unit),
  unitCost: moneyInput(input.unitCost, "unitCost"),
});

const commonChanges = (input: UpdateMedicationInput | UpdateMaterialInput): CatalogChanges => ({
  code: changed(input.code, "code", (v) => codeText(v, "code", LIMITS.itemCode)),
  name: changed(input.name, "name", (v) => requiredText(v, "name", LIMITS.name)),
  unit: changed(input.unit, "unit", (v) => requiredText(v, "unit", LIMITS.unit)),
  unitCost: changed(input.unitCost, "unitCost", (v) => moneyInput(v, "unitCost")),
});

const defined = (changes: CatalogChanges): CatalogChanges =>
  Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as CatalogChanges;

export function validateNewMedication(input: CreateMedicationInput): CatalogValues {
  return {
    ...common(input),
    activeIngredient: requiredText(input.activeIngredient, "activeIngredient", LIMITS.name),
    strength: requiredText(input.strength, "strength", LIMITS.shortText),
    dosageForm: requiredText(input.dosageForm, "dosageForm", LIMITS.shortText),
    area: optionalText(input.area, "area", LIMITS.shortText),
    therapeuticClass: optionalText(input.therapeuticClass, "therapeuticClass", LIMITS.shortText),
    controlList: controlListInput(input.controlList, input.controlled) ?? null,
    description: null,
  };
}

export function validateMedicationChanges(input: UpdateMedicationInput): CatalogChanges {
  return defined({
    ...commonChanges(input),
    activeIngredient: changed(input.activeIngredient, "activeIngredient", (v) =>
      requiredText(v, "activeIngredient", LIMITS.name),
    ),
    strength: changed(input.strength, "strength", (v) => requiredText(v, "strength", LIMITS.shortText)),
    dosageForm: changed(input.dosageForm, "dosageForm", (v) => requiredText(v, "dosageForm", LIMITS.shortText)),
    area: changedOptional(input.area, "area", LIMITS.shortText),
    therapeuticClass: changedOptional(input.therapeuticClass, "therapeuticClass", LIMITS.shortText),
    controlList: controlListInput(input.controlList, input.controlled),
  });
}

export function validateNewMaterial(input: CreateMaterialInput): CatalogValues {
  return {
    ...common(input),
    activeIngredient: null,
    strength: null,
    dosageForm: null,
    area: null,
    therapeuticClass: null,
    controlList: null,
    description: optionalText(input.description, "description", LIMITS.description, "multiline"),
  };
}

export function validateMaterialChanges(input: UpdateMaterialInput): CatalogChanges {
  return defined({
    ...commonChanges(input),
    description: changedOptional(input.description, "description", LIMITS.description, "multiline"),
  });
}
