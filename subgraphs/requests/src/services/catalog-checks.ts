import { centsOf, centsToDecimal, errors } from "@asky/runtime";
import { type Viewer } from "@asky/contracts";
import type { RequestKind } from "@asky/db/schema/requests";
import type { CatalogFacts, DispenserFacts, DispensersLookup } from "../clients/dispensers-client.js";
import { authorizeWard, checkDispenserStatus, type KindRule } from "../domain/request-kinds.js";
import type { NewItem } from "../data/request-writes.js";
import type { RequestLine } from "../domain/normalized-request.js";

/** The cabinet exists, is the nurse's, and is in a state that takes this kind of request. */
export function checkDispenser(
  lookup: DispensersLookup,
  viewer: Viewer,
  kind: RequestKind,
  rule: KindRule,
): DispenserFacts {
  const dispenser = lookup.dispenser;
  if (!dispenser) throw errors.notFound("Dispenser");
  authorizeWard(viewer, dispenser.ward);
  checkDispenserStatus(kind, rule, dispenser.status);
  return dispenser;
}

export interface PricedItems {
  readonly items: NewItem[];
  /** numeric(12,2) text. */
  readonly totalCost: string;
}

/**
 * Every item exists and is of a kind this request may carry; unit costs (and control lists and
 * therapeutic classes) are frozen from the catalog as it is now, so a later change to the
 * catalog does not rewrite what was asked.
 */
export function priceItems(
  lines: readonly RequestLine[],
  catalog: ReadonlyMap<string, CatalogFacts>,
  kind: RequestKind,
  rule: KindRule,
): PricedItems {
  const unknown = lines.filter((line) => !catalog.has(line.itemId)).map((line) => line.itemId);
  if (unknown.length > 0) {
    throw errors.badUserInput("Unknown catalog items", { field: "items.itemId", itemIds: unknown });
  }
  const priced = lines.map((line) => ({ line, facts: catalog.get(line.itemId) as CatalogFacts }));
  const misfits = priced.filter(({ facts }) => !rule.itemKinds.includes(facts.kind)).map(({ line }) => line.itemId);
  if (misfits.length > 0) {
    throw errors.badUserInput(`${kind} requests carry ${rule.itemKinds.join(" or ").toLowerCase()} items only`, {
      field: "items.itemId",
      itemIds: misfits,
    });
  }
  let totalCents = 0;
  const items = priced.map(({ line, facts }) => {
    const unitCents = centsOf(facts.unitCost);
    totalCents += unitCents * line.quantity;
    const unitCost = centsToDecimal(unitCents, "items");
    // Frozen with the price: later custody rules never depend on the dispensers service being up.
    const custody = { controlled: facts.controlList !== null, controlList: facts.controlList };
    // Frozen too, so consumption per class counts the line under the class it had when asked.
    const { therapeuticClass } = facts;
    return {
      itemId: line.itemId,
      itemKind: facts.kind,
      quantity: line.quantity,
      unitCost,
      ...custody,
      therapeuticClass,
    };
  });
  return { items, totalCost: centsToDecimal(totalCents, "items") };
}
