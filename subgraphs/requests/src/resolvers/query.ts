import { errors, pageSize } from "@asky/common";
import { listRequests } from "../data/requests.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";

export const Query: QueryResolvers = {
  request: (_parent, { id }, { loaders }) => loaders.request.load(id),
  requests: (_parent, { first, after, status, kind, dispenserId, ward, mine }, { db, viewer }) => {
    if (mine && !viewer) throw errors.unauthenticated();
    return listRequests(
      db,
      { status, kind, dispenserId, ward, requesterId: mine && viewer ? viewer.id : null },
      pageSize(first),
      after,
    );
  },
};
