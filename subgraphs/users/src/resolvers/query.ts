import { pageSize, searchTerm } from "@asky/common";
import { listUsers } from "../data/users.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";

export const Query: QueryResolvers = {
  me: async (_parent, _args, { viewer, loaders }) => (viewer ? loaders.user.load(viewer.id) : null),
  user: (_parent, { id }, { loaders }) => loaders.user.load(id),
  users: (_parent, { first, after, role, search }, { db }) =>
    listUsers(db, { role, search: searchTerm(search) }, pageSize(first), after),
};
