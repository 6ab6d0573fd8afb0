import { emptyConnection, errors, pageSize } from "@asky/common";
import { canSeeWard, wardScope } from "../access.js";
import { listRequests } from "../data/requests.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";

export const Query: QueryResolvers = {
  // A request outside the nurse's ward answers null, as if it did not exist: its
  // existence is not hers to know.
  request: async (_parent, { id }, { loaders, viewer }) => {
    const request = await loaders.request.load(id);
    return request && canSeeWard(viewer, request.ward) ? request : null;
  },
  requests: (_parent, { first, after, status, kind, dispenserId, ward, mine }, { db, viewer }) => {
    const size = pageSize(first);
    const scope = wardScope(viewer);
    if (scope === "none") return emptyConnection();
    if (scope.ward !== null && ward && ward !== scope.ward) {
      throw errors.forbidden("Nurses see the requests of their own ward only");
    }
    if (mine && !viewer) throw errors.unauthenticated();
    return listRequests(
      db,
      { status, kind, dispenserId, ward: scope.ward ?? ward, requesterId: mine && viewer ? viewer.id : null },
      size,
      after,
    );
  },
};
