import { errors } from "@asky/runtime";
import type { MutationResolvers } from "../generated/resolvers-types.js";
import { createUser, deactivateUser, updateUser } from "../services/user-admin.js";

/** User administration. Role checks are in ../access.ts; the viewer is present once they pass. */
export const userMutations = {
  createUser: (_parent, { input }, context) => createUser(context, signedIn(context.viewer), input),
  updateUser: (_parent, { id, input }, context) => updateUser(context, signedIn(context.viewer), id, input),
  deleteUser: (_parent, { id }, context) => deactivateUser(context, signedIn(context.viewer), id),
} satisfies MutationResolvers;

function signedIn<T>(viewer: T | null): T {
  if (viewer === null) throw errors.unauthenticated();
  return viewer;
}
