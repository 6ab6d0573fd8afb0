import { emptyConnection, errors, optionalInputText, pageSize } from "@asky/runtime";
import { canSeeWard, wardScope } from "../access.js";
import { pharmacyQueue } from "../data/pharmacy-queue.js";
import { listRequests } from "../data/requests.js";
import { listSlaPolicies } from "../data/sla-policies.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";

/** Longer than any ward code; the filter is compared in SQL, so it is bounded and checked first. */
const MAX_WARD_LENGTH = 40;

export const Query: QueryResolvers = {
  // A request outside the nurse's ward answers null, as if it did not exist: its
  // existence is not hers to know.
  request: async (_parent, { id }, { loaders, viewer }) => {
    const request = await loaders.request.load(id);
    return request && canSeeWard(viewer, request.ward) ? request : null;
  },
  requests: (_parent, { first, after, status, kind, dispenserId, ward: wardArgument, mine }, { db, viewer }) => {
    const size = pageSize(first);
    const ward = optionalInputText(wardArgument, { argument: "ward" }, { max: MAX_WARD_LENGTH });
    const scope = wardScope(viewer);
    if (scope === "none") return emptyConnection();
    if (scope.ward !== null && ward && ward !== scope.ward) {
      throw errors.forbidden("Nurses see the requests of their own ward only");
    }
    if (mine && !viewer) throw errors.unauthenticated();
    // Seven statuses at most: a list repeating them would only add bind parameters.
    const statuses = status && [...new Set(status)];
    return listRequests(
      db,
      { status: statuses, kind, dispenserId, ward: scope.ward ?? ward, requesterId: mine && viewer ? viewer.id : null },
      size,
      after,
    );
  },
  // A nurse's queue is her ward's: naming another ward is refused rather than answered empty,
  // as Query.requests does, so a client cannot mistake it for a ward with nothing waiting.
  pharmacyQueue: (_parent, { first, after, ward: wardArgument, kind }, { db, viewer }) => {
    const size = pageSize(first);
    const ward = optionalInputText(wardArgument, { argument: "ward" }, { max: MAX_WARD_LENGTH });
    const scope = wardScope(viewer);
    if (scope === "none") return emptyConnection();
    if (scope.ward !== null && ward && ward !== scope.ward) {
      throw errors.forbidden("Nurses see the queue of their own ward only");
    }
    return pharmacyQueue(db, { ward: scope.ward ?? (ward || null), kind: kind ?? null }, size, after, new Date());
  },
  slaPolicies: (_parent, _args, { db }) => listSlaPolicies(db),
};
