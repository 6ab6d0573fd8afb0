import { errors } from "@asky/runtime";
import type { MutationResolvers } from "../generated/resolvers-types.js";
import { changeRequestStatus } from "../services/change-status.js";
import { confirmReceipt } from "../services/confirm-receipt.js";
import { createRequest } from "../services/create-request.js";
import { recordPick } from "../services/record-pick.js";
import { setSlaPolicy } from "../services/set-sla-policy.js";

export const Mutation: MutationResolvers = {
  createRequest: (_parent, { input }, context) => {
    if (!context.viewer) throw errors.unauthenticated();
    return createRequest(context, context.viewer, input);
  },
  changeRequestStatus: (_parent, { input }, context) => {
    if (!context.viewer) throw errors.unauthenticated();
    return changeRequestStatus(context, context.viewer, input);
  },
  recordPick: (_parent, { input }, context) => {
    if (!context.viewer) throw errors.unauthenticated();
    return recordPick(context, context.viewer, input);
  },
  confirmReceipt: (_parent, { input }, context) => {
    if (!context.viewer) throw errors.unauthenticated();
    return confirmReceipt(context, context.viewer, input);
  },
  setSlaPolicy: (_parent, { input }, context) => {
    if (!context.viewer) throw errors.unauthenticated();
    return setSlaPolicy(context, context.viewer, input);
  },
};
