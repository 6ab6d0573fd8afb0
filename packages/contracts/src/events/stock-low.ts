import { catalogItemKinds, type CatalogItemKind } from "../catalog-item-kinds.js";
import { defineEvent } from "./event-contract.js";
import { amount, count, fieldsOf, nullable, oneOf, text, uuid } from "./fields.js";

/**
 * `data` of asky.dispensers.stock_low: a cabinet's level of one item fell under its minimum.
 * It carries everything a RESTOCK request needs, the item's kind, price and therapeutic class
 * included, so the requests service opens one without asking the dispensers service anything.
 */
export interface StockLowData {
  readonly stockLevelId: string;
  readonly dispenserId: string;
  readonly dispenserCode: string;
  readonly ward: string;
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  /** BRL per dispensing unit, a decimal as the catalog reports it. */
  readonly unitCost: number;
  /**
   * A medication's therapeutic class in the catalog when the level crossed its minimum, frozen
   * on the RESTOCK line like the price; null for materials and medications the catalog gives
   * none. Optional on the wire: producers before it did not write it, and the parser reads it
   * absent as null (of unknown class), not as a refusal.
   */
  readonly therapeuticClass?: string | null;
  readonly quantity: number;
  readonly minLevel: number;
  readonly parLevel: number;
  /** parLevel - quantity: what brings the cabinet back to par. */
  readonly suggestedRestockQuantity: number;
}

/**
 * `itemKind` and `unitCost` are required: a stock_low written before they existed (only one
 * still unread when the services were upgraded) is refused, logged and left for the next
 * crossing, rather than priced by a call back to the catalog. `therapeuticClass` is not: a
 * restock line of unknown class is still the right restock, it only reports under null.
 */
export const stockLow = defineEvent("asky.dispensers.stock_low", (raw): StockLowData => {
  const field = fieldsOf(raw, "stock_low");
  return {
    stockLevelId: field("stockLevelId", uuid),
    dispenserId: field("dispenserId", uuid),
    dispenserCode: field("dispenserCode", text),
    ward: field("ward", text),
    itemId: field("itemId", uuid),
    itemKind: field("itemKind", oneOf(catalogItemKinds)),
    unitCost: field("unitCost", amount),
    therapeuticClass: field("therapeuticClass", nullable(text)),
    quantity: field("quantity", count),
    minLevel: field("minLevel", count),
    parLevel: field("parLevel", count),
    suggestedRestockQuantity: field("suggestedRestockQuantity", count),
  };
});
