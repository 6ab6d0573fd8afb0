import { catalogItemKinds, type CatalogItemKind } from "../catalog-item-kinds.js";
import { stockReasons, type StockReason } from "../stock-reasons.js";
import { InvalidEventError } from "./envelope.js";
import { defineEvent } from "./event-contract.js";
import { calendarDate } from "./lot-fields.js";
import { amount, count, fieldsOf, instant, nullable, oneOf, text, uuid, type Reader } from "./fields.js";

/**
 * `data` of asky.dispensers.stock_moved: one row of a cabinet's stock ledger, as it was
 * written. A movement touching several lots is several rows, so several events (one per row,
 * each with its own `movementId`), written in the transaction that wrote the ledger. It carries
 * the cabinet's ward, the item's kind and price and the lot's expiry as they were then, so a
 * read model of stock needs nothing else.
 */
export interface StockMovedData {
  /** The ledger row's id: a consumer keyed by it applies the row once. */
  readonly movementId: string;
  /** The ledger's insertion order: rows of one adjustment share `movedAt`, `seq` orders them. */
  readonly seq: number;
  readonly stockLevelId: string;
  readonly dispenserId: string;
  readonly ward: string;
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  readonly reason: StockReason;
  /** Signed: units in (> 0) or out (< 0). Never 0. */
  readonly delta: number;
  readonly quantityBefore: number;
  readonly quantityAfter: number;
  /** The lot the row touched; null for units of no known lot. */
  readonly lotNumber: string | null;
  /** That lot's expiry (`YYYY-MM-DD`), when the cabinet knew it. */
  readonly lotExpiresAt: string | null;
  /** BRL per dispensing unit when the row was written, a decimal as the catalog reports it. */
  readonly unitCost: number;
  /** When the ledger row was written (the database's clock, to the millisecond). */
  readonly movedAt: string;
}

/** A whole number other than 0, of either sign. */
const nonZeroDelta: Reader<number> = (value, path) => {
  if (Number.isSafeInteger(value) && value !== 0) return value as number;
  throw new InvalidEventError(`${path} is missing or not a whole number other than 0`);
};

/** A ledger sequence number (a bigint identity, well inside a safe integer). */
const sequence: Reader<number> = (value, path) => {
  if (Number.isSafeInteger(value) && (value as number) >= 1) return value as number;
  throw new InvalidEventError(`${path} is missing or not a sequence number ≥ 1`);
};

/** A row whose quantities do not add up is refused: the read model's checks would refuse it anyway. */
export const stockMoved = defineEvent("asky.dispensers.stock_moved", (raw): StockMovedData => {
  const field = fieldsOf(raw, "stock_moved");
  const data: StockMovedData = {
    movementId: field("movementId", uuid),
    seq: field("seq", sequence),
    stockLevelId: field("stockLevelId", uuid),
    dispenserId: field("dispenserId", uuid),
    ward: field("ward", text),
    itemId: field("itemId", uuid),
    itemKind: field("itemKind", oneOf(catalogItemKinds)),
    reason: field("reason", oneOf(stockReasons)),
    delta: field("delta", nonZeroDelta),
    quantityBefore: field("quantityBefore", count),
    quantityAfter: field("quantityAfter", count),
    lotNumber: field("lotNumber", nullable(text)),
    lotExpiresAt: field("lotExpiresAt", nullable(calendarDate)),
    unitCost: field("unitCost", amount),
    movedAt: field("movedAt", instant),
  };
  if (data.quantityAfter !== data.quantityBefore + data.delta) {
    throw new InvalidEventError("stock_moved.quantityAfter is not quantityBefore + delta");
  }
  return data;
});
