import { optionalInputText, pageSize, searchTerm } from "@asky/runtime";
import { listAuditEntries } from "../data/audit-log.js";
import { listUsers } from "../data/users.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";

/** Longer than any audit action name (user.password_reset, ...). */
const MAX_ACTION_LENGTH = 100;

/** Access rules live in ../access.ts; these resolvers assume the caller passed them. */
export const Query: QueryResolvers = {
  me: async (_parent, _args, { viewer, loaders }) => (viewer ? loaders.user.load(viewer.id) : null),
  user: (_parent, { id }, { loaders }) => loaders.user.load(id),
  users: (_parent, { first, after, role, search }, { db }) =>
    listUsers(db, { role, search: searchTerm(search) }, pageSize(first), after),
  auditLog: (_parent, { first, after, actorId, targetId, action }, { db }) =>
    listAuditEntries(
      db,
      { actorId, targetId, action: optionalInputText(action, { argument: "action" }, { max: MAX_ACTION_LENGTH }) },
      pageSize(first),
      after,
    ),
};
