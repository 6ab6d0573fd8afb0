import { emptyConnection, pageSize } from "@asky/runtime";
import { canSeeWard, wardScope } from "../access.js";
import type { DispenserResolvers, UserResolvers } from "../generated/resolvers-types.js";

/** Extends the users subgraph's User: the requests a person made, within the viewer's scope. */
export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  // Batched: every user of a level (a list of requests' requesters) shares one statement.
  requests: (user, { first, after, status }, { loaders, viewer }) => {
    const size = pageSize(first);
    const scope = wardScope(viewer);
    if (scope === "none") return emptyConnection();
    return loaders.requesterPages.load({
      requesterId: user.id,
      size,
      after: after ?? null,
      status: status ?? null,
      ward: scope.ward,
    });
  },
};

/** Extends the dispensers subgraph's Dispenser: what the pharmacy still owes that cabinet. */
export const Dispenser: DispenserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  openRequests: async (dispenser, { first }, { loaders, viewer }) => {
    const open = await loaders.openByDispenser.load({
      dispenserId: dispenser.id.toLowerCase(),
      first: pageSize(first),
    });
    return open.filter((request) => canSeeWard(viewer, request.ward));
  },
};
