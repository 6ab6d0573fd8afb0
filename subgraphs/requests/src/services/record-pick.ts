import { errors } from "@asky/runtime";
import type { Viewer } from "@asky/contracts";
import { canSeeWard } from "../access.js";
import type { CatalogFacts } from "../clients/dispensers-client.js";
import type { RequestsContext } from "../context.js";
import { bumpPreparing, insertPickHistory, lotsOf, writePick } from "../data/request-lines.js";
import { findRequest, itemsOf } from "../data/request-writes.js";
import type { RequestRow } from "../data/requests.js";
import { planPick } from "./pick-plan.js";
import type { RecordPickInput } from "../generated/resolvers-types.js";
import { recordPickEvent } from "../outbox/pick-recorded.js";
import { normalizeRecordPick } from "../validation/record-pick-input.js";
import { staleVersion } from "./change-status-errors.js";
import { inTransaction } from "./unit-of-work.js";

function notPreparing(current: RequestRow) {
  return errors.conflict(`A ${current.status} request takes no pick; picks are recorded while PREPARING`, {
    reason: "NOT_PREPARING",
    currentStatus: current.status,
    currentVersion: current.version,
  });
}

/**
 * recordPick: decides on plain reads (the request, its lines, the substitutes in the catalog,
 * asked outside any transaction so that no lock is held over HTTP), then writes the lines,
 * their lots, a PICK_RECORDED history entry and the pick_recorded event in one transaction
 * behind a compare-and-set on the version. Refusals change nothing. Who may pick at all
 * (the pharmacy roles) is the access table's rule.
 */
export async function recordPick(ctx: RequestsContext, actor: Viewer, input: RecordPickInput): Promise<RequestRow> {
  const pick = normalizeRecordPick(input);
  const current = await findRequest(ctx.db, pick.requestId);
  if (!current || !canSeeWard(actor, current.ward)) throw errors.notFound("Request", pick.requestId);
  if (current.version !== pick.expectedVersion) throw staleVersion(current, pick.expectedVersion);
  if (current.status !== "PREPARING") throw notPreparing(current);

  const lines = await itemsOf(ctx.db, current.id);
  const substituteIds = pick.lines.flatMap((line) => (line.substituteItemId ? [line.substituteItemId] : []));
  const catalog =
    substituteIds.length > 0
      ? (await ctx.services.dispensers.lookup(null, substituteIds)).items
      : new Map<string, CatalogFacts>();
  const plans = planPick(pick.lines, lines, catalog);

  return inTransaction(ctx, async (tx) => {
    const updated = await bumpPreparing(tx, current.id, pick.expectedVersion);
    if (!updated) {
      // Another change committed between our reads and this write.
      const latest = (await findRequest(tx, current.id)) ?? current;
      throw latest.status === "PREPARING" ? staleVersion(latest, pick.expectedVersion) : notPreparing(latest);
    }
    await writePick(tx, updated.id, plans);
    await insertPickHistory(tx, updated.id, actor.id);
    const after = await itemsOf(tx, updated.id);
    const lots = await lotsOf(
      tx,
      after.map((line) => line.id),
    );
    await recordPickEvent(tx, { request: updated, lines: after, lots, actorId: actor.id });
    return updated;
  });
}
