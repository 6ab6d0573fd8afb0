import { errors } from "@asky/runtime";
import type { Viewer } from "@asky/contracts";
import { canSeeWard } from "../access.js";
import type { RequestsContext } from "../context.js";
import { writeReceipt } from "../data/custody-writes.js";
import { findRequest, insertHistory, itemsOf, updateStatus } from "../data/request-writes.js";
import type { RequestRow } from "../data/requests.js";
import { checkWitnessPresence, witnessStepFor } from "../domain/custody.js";
import { planTransition } from "../domain/lifecycle.js";
import { planReceipt } from "./receipt-plan.js";
import type { ConfirmReceiptInput } from "../generated/resolvers-types.js";
import { recordRequestEvent } from "../outbox/request-events.js";
import { normalizeConfirmReceipt, type NormalizedReceipt } from "../validation/confirm-receipt-input.js";
import { staleVersion } from "./change-status-errors.js";
import { carriesControlled } from "./controlled-lines.js";
import { presentedWitness, spendRequestWitness } from "./request-witness.js";
import { inTransaction } from "./unit-of-work.js";

/**
 * A DISPATCHED request becomes DELIVERED with what the ward received: decides on plain reads
 * (visibility, a presented witness token verified and not spent, version, the lifecycle's
 * DISPATCHED → DELIVERED parties, the lines, whether a RECEIPT witness is needed), then in one
 * transaction spends the witness and, behind the version compare-and-set, writes each line's received quantity before the
 * status_changed event reads the lines, and the history entry with the witness. Refusals
 * change nothing. changeRequestStatus to DELIVERED comes here with no line named.
 */
export async function receive(ctx: RequestsContext, actor: Viewer, receipt: NormalizedReceipt): Promise<RequestRow> {
  const current = await findRequest(ctx.db, receipt.requestId);
  if (!current || !canSeeWard(actor, current.ward)) throw errors.notFound("Request", receipt.requestId);
  const verified = await presentedWitness(ctx, actor, current, "DELIVERED", receipt.witnessToken);
  if (current.version !== receipt.expectedVersion) throw staleVersion(current, receipt.expectedVersion);
  planTransition(current, "DELIVERED", actor);
  const lines = await itemsOf(ctx.db, current.id);
  const plans = planReceipt(receipt.lines, lines);
  checkWitnessPresence(witnessStepFor("DELIVERED", await carriesControlled(ctx, lines)), receipt.witnessToken);

  return inTransaction(ctx, async (tx) => {
    const witnessId = await spendRequestWitness(tx, actor, verified);
    const updated = await updateStatus(tx, {
      id: current.id,
      expectedVersion: receipt.expectedVersion,
      from: current.status,
      to: "DELIVERED",
    });
    if (!updated) {
      // Someone else's change committed between our reads and this write.
      const latest = await findRequest(tx, current.id);
      throw staleVersion(latest ?? current, receipt.expectedVersion);
    }
    await writeReceipt(tx, plans);
    await insertHistory(tx, {
      requestId: updated.id,
      fromStatus: current.status,
      toStatus: updated.status,
      actorId: actor.id,
      reasonText: receipt.note,
      witnessId,
    });
    await recordRequestEvent(tx, {
      request: updated,
      items: await itemsOf(tx, updated.id),
      previousStatus: current.status,
      actorId: actor.id,
    });
    return updated;
  });
}

export function confirmReceipt(ctx: RequestsContext, actor: Viewer, input: ConfirmReceiptInput): Promise<RequestRow> {
  return receive(ctx, actor, normalizeConfirmReceipt(input));
}
