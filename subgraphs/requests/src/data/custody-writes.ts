import { and, eq, sql } from "drizzle-orm";
import { requestItems } from "@asky/db/schema/requests";
import type { ReceiptLinePlan } from "../services/receipt-plan.js";
import type { RequestsTx } from "./db.js";

/**
 * At dispatch, lines nobody picked go out whole, as every line did before line-level picking:
 * a dispatched request has no OPEN line, and what the ward receives is measured against
 * quantity_dispatched.
 */
export async function sendUnpickedWhole(tx: RequestsTx, requestId: string): Promise<void> {
  await tx
    .update(requestItems)
    .set({ status: "PICKED", quantityDispatched: sql`${requestItems.quantity}` })
    .where(and(eq(requestItems.requestId, requestId), eq(requestItems.status, "OPEN")));
}

/** A receipt's lines: received quantity, the ward's note, status DELIVERED (one statement per line, 50 at most). */
export async function writeReceipt(tx: RequestsTx, plans: readonly ReceiptLinePlan[]): Promise<void> {
  for (const plan of plans) {
    await tx
      .update(requestItems)
      .set({ status: "DELIVERED", quantityReceived: plan.quantityReceived, receiptNote: plan.receiptNote })
      .where(eq(requestItems.id, plan.lineId));
  }
}
