import { errors, invalidField } from "@asky/runtime";
import type { RequestItemRow } from "../data/requests.js";
import type { ReceivedLine } from "../validation/confirm-receipt-input.js";

/** What a receipt writes on one line that went out. */
export interface ReceiptLinePlan {
  readonly lineId: string;
  readonly quantityReceived: number;
  readonly receiptNote: string | null;
}

/**
 * Units that went out on a line: its picked quantity; a line cancelled, substituted (its
 * substitute is a line of its own) or backordered in full sent none. An OPEN line (a request
 * dispatched before line-level picking) went out whole.
 */
export function dispatchedOf(line: RequestItemRow): number {
  if (line.status === "CANCELLED" || line.status === "SUBSTITUTED") return 0;
  return line.quantityDispatched ?? (line.status === "OPEN" ? line.quantity : 0);
}

/**
 * The received quantity of every line that went out: as named, or in full when not named.
 * Naming a line that sent nothing, or an item the request does not have, is refused; so is a
 * quantity above what went out, and a difference without a note saying what happened.
 */
export function planReceipt(received: readonly ReceivedLine[], lines: readonly RequestItemRow[]): ReceiptLinePlan[] {
  const named = new Map<string, ReceivedLine>();
  for (const entry of received) {
    const field = `lines[${entry.index}]`;
    const line = lines.find((candidate) => candidate.itemId === entry.itemId);
    if (!line) {
      throw errors.badUserInput("Not an item of this request", { field: `${field}.itemId`, itemIds: [entry.itemId] });
    }
    const dispatched = dispatchedOf(line);
    if (dispatched === 0) {
      throw errors.badUserInput("Nothing of this line went out to be received", {
        field: `${field}.itemId`,
        reason: "NOTHING_DISPATCHED",
      });
    }
    if (entry.quantityReceived > dispatched) {
      throw invalidField(
        `${field}.quantityReceived`,
        `${field}.quantityReceived must be between 0 and the ${dispatched} dispatched`,
      );
    }
    if (entry.quantityReceived !== dispatched && entry.note === null) {
      throw invalidField(
        `${field}.note`,
        "Say in a note why the quantity received differs from the quantity dispatched",
      );
    }
    named.set(line.id, entry);
  }
  return lines.flatMap((line) => {
    const dispatched = dispatchedOf(line);
    if (dispatched === 0) return [];
    const entry = named.get(line.id);
    return [
      { lineId: line.id, quantityReceived: entry?.quantityReceived ?? dispatched, receiptNote: entry?.note ?? null },
    ];
  });
}
