import { eventSubjects, InvalidEventError } from "@asky/common";
import { isUuid } from "../validation/fields.js";

export const STOCK_LOW_SUBJECT = eventSubjects.stockLow;

/**
 * The fields of asky.dispensers.stock_low (version 1) the restock loop reads. `itemKind` and
 * `unitCost` are optional: when the producer includes them the loop needs no catalog lookup.
 */
export interface StockLowData {
  readonly dispenserId: string;
  readonly ward: string;
  readonly itemId: string;
  readonly quantity: number;
  readonly minLevel: number;
  readonly parLevel: number;
  readonly suggestedRestockQuantity: number;
  readonly itemKind: "MEDICATION" | "MATERIAL" | null;
  readonly unitCost: number | null;
}

function field<T>(data: Record<string, unknown>, name: string, check: (value: unknown) => value is T): T {
  const value = data[name];
  if (!check(value)) throw new InvalidEventError(`stock_low.${name} is missing or malformed`);
  return value;
}

const isId = (value: unknown): value is string => typeof value === "string" && isUuid(value);
const isText = (value: unknown): value is string => typeof value === "string" && value.length > 0;
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** Rejects (terminally) a payload that can never become a restock. */
export function parseStockLow(raw: unknown): StockLowData {
  if (typeof raw !== "object" || raw === null) throw new InvalidEventError("stock_low data is not an object");
  const data = raw as Record<string, unknown>;
  const kind = data.itemKind;
  const cost = data.unitCost;
  return {
    dispenserId: field(data, "dispenserId", isId).toLowerCase(),
    ward: field(data, "ward", isText),
    itemId: field(data, "itemId", isId).toLowerCase(),
    quantity: field(data, "quantity", isCount),
    minLevel: field(data, "minLevel", isCount),
    parLevel: field(data, "parLevel", isCount),
    suggestedRestockQuantity: field(data, "suggestedRestockQuantity", isCount),
    itemKind: kind === "MEDICATION" || kind === "MATERIAL" ? kind : null,
    unitCost: typeof cost === "number" && Number.isFinite(cost) && cost >= 0 ? cost : null,
  };
}
