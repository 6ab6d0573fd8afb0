import type { AuditEntryResolvers } from "../generated/resolvers-types.js";

export const AuditEntry: AuditEntryResolvers = {
  // Deactivated users still resolve: the log must keep naming whoever acted.
  actor: (entry, _args, { loaders }) => (entry.actorId ? loaders.user.load(entry.actorId) : null),
  target: (entry, _args, { loaders }) => (entry.targetId ? loaders.user.load(entry.targetId) : null),
  detail: (entry) => JSON.stringify(entry.detail ?? {}),
};
