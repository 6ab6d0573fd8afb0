import { errors, isUniqueViolation } from "@asky/runtime";
import { isUuid } from "@asky/contracts";
import type { CatalogKind } from "@asky/db/schema/dispensers";
import { catalogSearchText } from "@asky/db/search";
import type { DispensersContext } from "../context.js";
import type { CatalogItemRow } from "../data/catalog.js";
import { refusingClosedPeriods } from "../data/closed-period.js";
import { catalogCodeTaken, insertCatalogItem, lockCatalogItem, updateCatalogItemRow } from "../data/catalog-writes.js";
import type { DispensersTx } from "../data/db.js";
import type { CatalogChanges, CatalogValues } from "../validation/catalog-input.js";
import { inTransaction } from "./unit-of-work.js";

const typeName = (kind: CatalogKind) => (kind === "MEDICATION" ? "Medication" : "Material");
const duplicateCode = (code: string) =>
  errors.conflict(`A catalog item with code ${code} already exists`, { field: "code" });

async function guardCode<T>(
  tx: DispensersTx,
  code: string | undefined,
  exceptId: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  if (code !== undefined && (await catalogCodeTaken(tx, code, exceptId))) throw duplicateCode(code);
  try {
    return await write();
  } catch (error) {
    if (code !== undefined && isUniqueViolation(error, "catalog_items_code_key")) throw duplicateCode(code);
    throw error;
  }
}

/** Creates an item; search_text is derived here so accent-insensitive search finds it at once. */
export function createCatalogItem(
  context: DispensersContext,
  kind: CatalogKind,
  values: CatalogValues,
): Promise<CatalogItemRow> {
  return inTransaction(context, async (tx, effects) => {
    const row = await guardCode(tx, values.code, undefined, () =>
      insertCatalogItem(tx, { ...values, kind, searchText: catalogSearchText(values.name, values.activeIngredient) }),
    );
    effects.invalidate({ kind: "catalogItem", id: row.id });
    return row;
  });
}

/** Updates an item of the given kind; an id of the other kind is NOT_FOUND, like an unknown one. */
export function updateCatalogItem(
  context: DispensersContext,
  kind: CatalogKind,
  id: string,
  changes: CatalogChanges,
): Promise<CatalogItemRow> {
  if (!isUuid(id)) throw errors.notFound(typeName(kind), id);
  return inTransaction(context, async (tx, effects) => {
    const current = await lockCatalogItem(tx, id);
    if (!current || current.kind !== kind) throw errors.notFound(typeName(kind), id);
    const name = changes.name ?? current.name;
    const activeIngredient = changes.activeIngredient ?? current.activeIngredient;
    // Moving an item with entries in a closed month of its old or new list would rewrite that
    // closed book: the database refuses it (migration 0004), answered as CONFLICT PERIOD_CLOSED.
    const row = await guardCode(tx, changes.code, id, () =>
      refusingClosedPeriods(() =>
        updateCatalogItemRow(tx, id, { ...changes, searchText: catalogSearchText(name, activeIngredient) }),
      ),
    );
    effects.invalidate({ kind: "catalogItem", id });
    return row;
  });
}
