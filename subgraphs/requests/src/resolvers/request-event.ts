import { canSeeWard } from "../access.js";
import { loadRequestEvent } from "../data/request-events.js";
import type { QueryResolvers, RequestEventResolvers } from "../generated/resolvers-types.js";
import { userRef } from "./references.js";

/** Query.requestEvent: an event exists for a viewer exactly when its request does. */
export const requestEvent: NonNullable<QueryResolvers["requestEvent"]> = async (
  _parent,
  { id, cursor },
  { db, viewer },
) => {
  if (cursor !== null && cursor !== undefined && cursor.length > 200) return null;
  const event = await loadRequestEvent(db, id, cursor ?? null);
  return event && canSeeWard(viewer, event.ward) ? event : null;
};

export const RequestEvent: RequestEventResolvers = {
  request: async (event, _args, { loaders }) => {
    const request = await loaders.request.load(event.requestId);
    if (!request) throw new Error(`request ${event.requestId} of event ${event.id} is missing`);
    return request;
  },
  actor: (event) => (event.actorId ? userRef(event.actorId) : null),
};
