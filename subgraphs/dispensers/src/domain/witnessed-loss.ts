import type { StockReason } from "@asky/db/schema/dispensers";

/**
 * Which stock movements are losses (issue 16): units leaving the cabinet for no patient. A
 * DISPENSED movement goes to a patient and is accounted for by the request and the
 * prescription; RESTOCK, RETURNED and positive corrections bring units in. Everything else
 * that takes units out (expired, damaged, a count that came up short, anything else) is a
 * loss, and for a controlled medication Portaria 344/98 practice wants a second person to
 * confirm it.
 */
const lossReasons: ReadonlySet<StockReason> = new Set(["EXPIRED", "DAMAGED", "COUNT_CORRECTION", "OTHER"]);

export const isLoss = (reason: StockReason, delta: number): boolean => delta < 0 && lossReasons.has(reason);

/** A controlled medication is one on a Portaria 344/98 list. */
export interface ControlledOrNot {
  readonly controlList: string | null;
}

/** Whether this movement of this item must be witnessed. */
export const needsWitness = (item: ControlledOrNot, reason: StockReason, delta: number): boolean =>
  item.controlList !== null && isLoss(reason, delta);
