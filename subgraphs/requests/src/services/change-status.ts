import { errors } from "@asky/runtime";
import { type RequestStatus, type Viewer } from "@asky/contracts";
import { canSeeWard } from "../access.js";
import type { RequestsContext } from "../context.js";
import { latestPickerOf } from "../data/custody-reads.js";
import { sendUnpickedWhole } from "../data/custody-writes.js";
import { findRequest, insertHistory, itemsOf, updateStatus } from "../data/request-writes.js";
import type { RequestRow } from "../data/requests.js";
import { checkCustody, checkWitnessPresence, witnessStepFor, type CustodyFacts } from "../domain/custody.js";
import { planTransition } from "../domain/lifecycle.js";
import type { ChangeRequestStatusInput } from "../generated/resolvers-types.js";
import { recordRequestEvent } from "../outbox/request-events.js";
import { normalizeStatusChange } from "../validation/status-change-input.js";
import { openBackorder } from "./backorder.js";
import { staleVersion } from "./change-status-errors.js";
import { receive } from "./confirm-receipt.js";
import { carriesControlled } from "./controlled-lines.js";
import { presentedWitness, spendRequestWitness } from "./request-witness.js";
import { inTransaction } from "./unit-of-work.js";

/** The custody facts a move needs: lines and picker for VERIFIED and DISPATCHED only (other moves carry no custody rule). */
async function custodyFacts(ctx: RequestsContext, request: RequestRow, to: RequestStatus): Promise<CustodyFacts> {
  if (to !== "VERIFIED" && to !== "DISPATCHED")
    return { controlled: false, unpickedLines: false, unpickedMedication: false, latestPickerId: null };
  const lines = await itemsOf(ctx.db, request.id);
  return {
    controlled: to === "DISPATCHED" && (await carriesControlled(ctx, lines)),
    unpickedLines: lines.some((line) => line.status === "OPEN"),
    unpickedMedication: lines.some((line) => line.status === "OPEN" && line.itemKind === "MEDICATION"),
    latestPickerId: to === "VERIFIED" ? await latestPickerOf(ctx.db, request.id) : null,
  };
}

/**
 * changeRequestStatus: decides on plain reads (visibility, a presented witness token verified
 * and not spent, version, lifecycle table, custody rules of controlled requests), then spends
 * the witness and applies the change with a compare-and-set on the version, writing the
 * history entry (with the witness) and the `status_changed` event in the same transaction. A dispatch also sends
 * unpicked lines whole and opens the backorder of BACKORDERED lines, in that transaction.
 * DELIVERED is a receipt of everything dispatched (confirmReceipt). Refusals change nothing.
 */
export async function changeRequestStatus(
  ctx: RequestsContext,
  actor: Viewer,
  input: ChangeRequestStatusInput,
): Promise<RequestRow> {
  const change = normalizeStatusChange(input);
  if (change.to === "DELIVERED") {
    const { requestId, expectedVersion, witnessToken, text } = change;
    return receive(ctx, actor, { requestId, expectedVersion, lines: [], witnessToken, note: text });
  }
  const current = await findRequest(ctx.db, change.requestId);
  // Outside a nurse's ward a request does not exist for her, as on the read path.
  if (!current || !canSeeWard(actor, current.ward)) throw errors.notFound("Request", change.requestId);
  const verified = await presentedWitness(ctx, actor, current, change.to, change.witnessToken);
  if (current.version !== change.expectedVersion) throw staleVersion(current, change.expectedVersion);
  const transition = planTransition(current, change.to, actor);
  const facts = await custodyFacts(ctx, current, change.to);
  checkCustody(current, change.to, actor, facts);
  checkWitnessPresence(witnessStepFor(change.to, facts.controlled), change.witnessToken);

  return inTransaction(ctx, async (tx) => {
    const witnessId = await spendRequestWitness(tx, actor, verified);
    const updated = await updateStatus(tx, {
      id: current.id,
      expectedVersion: change.expectedVersion,
      from: current.status,
      to: change.to,
      ...(transition.assignActor ? { assigneeId: actor.id } : {}),
      ...(transition.needsReason ? { reasonCode: change.reasonCode, reasonText: change.text } : {}),
    });
    if (!updated) {
      // Someone else's change committed between our read and our update.
      const latest = await findRequest(tx, current.id);
      throw staleVersion(latest ?? current, change.expectedVersion);
    }
    if (updated.status === "DISPATCHED") await sendUnpickedWhole(tx, updated.id);
    await insertHistory(tx, {
      requestId: updated.id,
      fromStatus: current.status,
      toStatus: updated.status,
      actorId: actor.id,
      reasonCode: change.reasonCode,
      reasonText: change.text,
      witnessId,
    });
    const items = await itemsOf(tx, updated.id);
    await recordRequestEvent(tx, { request: updated, items, previousStatus: current.status, actorId: actor.id });
    if (updated.status === "DISPATCHED") await openBackorder(tx, updated, items, actor.id);
    return updated;
  });
}
