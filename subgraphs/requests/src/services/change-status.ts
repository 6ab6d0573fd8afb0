import { errors } from "@asky/runtime";
import { type Viewer } from "@asky/contracts";
import { canSeeWard } from "../access.js";
import type { RequestsContext } from "../context.js";
import { findRequest, insertHistory, itemsOf, updateStatus } from "../data/request-writes.js";
import type { RequestRow } from "../data/requests.js";
import { planTransition } from "../domain/lifecycle.js";
import type { ChangeRequestStatusInput } from "../generated/resolvers-types.js";
import { recordRequestEvent } from "../outbox/request-events.js";
import { normalizeStatusChange } from "../validation/status-change-input.js";
import { inTransaction } from "./unit-of-work.js";

/** CONFLICT for a client that acted on an old version; carries the current one. */
export function staleVersion(current: RequestRow, expectedVersion: number) {
  return errors.conflict(`The request changed since version ${expectedVersion}: reload it and try again`, {
    reason: "STALE_VERSION",
    currentVersion: current.version,
    currentStatus: current.status,
  });
}

/**
 * changeRequestStatus: decides on a plain read (visibility, version, lifecycle table), then
 * applies the change with a compare-and-set on the version, writing the history entry and
 * the `status_changed` event in the same transaction. Refusals change nothing.
 */
export async function changeRequestStatus(
  ctx: RequestsContext,
  actor: Viewer,
  input: ChangeRequestStatusInput,
): Promise<RequestRow> {
  const change = normalizeStatusChange(input);
  const current = await findRequest(ctx.db, change.requestId);
  // Outside a nurse's ward a request does not exist for her, as on the read path.
  if (!current || !canSeeWard(actor, current.ward)) throw errors.notFound("Request", change.requestId);
  if (current.version !== change.expectedVersion) throw staleVersion(current, change.expectedVersion);
  const transition = planTransition(current, change.to, actor);

  return inTransaction(ctx, async (tx) => {
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
    await insertHistory(tx, {
      requestId: updated.id,
      fromStatus: current.status,
      toStatus: updated.status,
      actorId: actor.id,
      reasonCode: change.reasonCode,
      reasonText: change.text,
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
