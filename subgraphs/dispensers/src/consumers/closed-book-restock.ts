import type { Logger } from "@asky/runtime";
import type { RequestEventData } from "@asky/contracts";
import { itemsInClosedPeriod } from "../data/book-closures.js";
import type { DispensersTx } from "../data/db.js";

/**
 * A delivered RESTOCK lands in the ledger at its real time. When that time is in a closed month
 * of a controlled item's book (the current month, closed early), the ledger refuses it, and a
 * refused event would be redelivered and refused again until the consumer gives up. So those
 * items are held back here, logged as an error naming the request, item and period for the
 * pharmacy to record by hand once the month is over (adjustStock RESTOCK citing the request);
 * the rest of the delivery is applied, and the event is settled.
 */
export async function withoutClosedBookItems<T extends Pick<RequestEventData, "requestId" | "number" | "items">>(
  tx: DispensersTx,
  restock: T,
  logger: Logger,
): Promise<T> {
  const closed = await itemsInClosedPeriod(
    tx,
    restock.items.map((item) => item.itemId),
    new Date(),
  );
  if (closed.size === 0) return restock;
  for (const item of restock.items) {
    const period = closed.get(item.itemId);
    if (!period) continue;
    logger.error(
      {
        requestId: restock.requestId,
        number: restock.number,
        itemId: item.itemId,
        quantity: item.quantity,
        controlList: period.list,
        month: period.month,
      },
      "delivered restock of a controlled item in a closed book period; not applied, record it by hand",
    );
  }
  return { ...restock, items: restock.items.filter((item) => !closed.has(item.itemId)) };
}
