import type {
  RequestHistoryEntryResolvers,
  RequestItemResolvers,
  RequestResolvers,
} from "../generated/resolvers-types.js";
import { canSeeWard } from "../access.js";
import { catalogItemRef, dispenserRef, userRef } from "./references.js";
import { assistanceReason, lineReasonCode, statusReasonCode } from "./reasons.js";

export const Request: RequestResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const request = await loaders.request.load(reference.id);
    return request && canSeeWard(viewer, request.ward) ? request : null;
  },
  requester: (row) => userRef(row.requesterId),
  assignee: (row) => (row.assigneeId ? userRef(row.assigneeId) : null),
  dispenser: (row) => dispenserRef(row.dispenserId),
  items: (row, _args, { loaders }) => loaders.items.load(row.id),
  history: (row, _args, { loaders }) => loaders.history.load(row.id),
  // A backorder is of the same ward as the request it continues: visible to the same people.
  backorderOf: (row, _args, { loaders }) => (row.backorderOf ? loaders.request.load(row.backorderOf) : null),
  backorders: (row, _args, { loaders }) => loaders.backorders.load(row.id),
  assistanceReason: (row) => assistanceReason(row.assistanceReason),
  reasonCode: (row) => statusReasonCode(row.reasonCode),
  reason: (row) => row.reasonText,
  // numeric(12,2) arrives as a string; the contract exposes money as Float.
  totalCost: (row) => Number(row.totalCost),
  // Breached is read off the clock, so it is true the moment the due time passes, before the
  // SLA_BREACHED event marks breachedAt.
  sla: (row) =>
    row.slaStage && row.slaDueAt
      ? {
          stage: row.slaStage,
          dueAt: row.slaDueAt,
          breached: row.slaBreachedAt !== null || row.slaDueAt.getTime() <= Date.now(),
          breachedAt: row.slaBreachedAt,
          warnedAt: row.slaWarnedAt,
        }
      : null,
};

export const RequestItem: RequestItemResolvers = {
  item: (row) => catalogItemRef(row.itemId),
  quantityRequested: (row) => row.quantity,
  reasonCode: (row) => lineReasonCode(row.reasonCode),
  // The substitute is a line of the same request: the request's lines are loaded already.
  substitutedBy: async (row, _args, { loaders }) => {
    if (!row.substitutedById) return null;
    const lines = await loaders.items.load(row.requestId);
    return lines.find((line) => line.id === row.substitutedById) ?? null;
  },
  lots: (row, _args, { loaders }) => loaders.lots.load(row.id),
  unitCost: (row) => Number(row.unitCost),
};

export const RequestHistoryEntry: RequestHistoryEntryResolvers = {
  from: (row) => row.fromStatus,
  to: (row) => row.toStatus,
  by: (row) => userRef(row.actorId),
  witness: (row) => (row.witnessId ? userRef(row.witnessId) : null),
  reason: (row) => row.reasonText ?? row.reasonCode,
};
