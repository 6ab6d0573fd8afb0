/**
 * Why a cabinet's stock moved: the ledger's reasons. The dispensers schema's enum and the
 * stock_moved event both derive from this list, so the reports read model reads the same words.
 */
export const stockReasons = [
  "RESTOCK",
  "COUNT_CORRECTION",
  "DISPENSED",
  "EXPIRED",
  "DAMAGED",
  "RETURNED",
  "OTHER",
] as const;
export type StockReason = (typeof stockReasons)[number];
