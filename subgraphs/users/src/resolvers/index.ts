import { DateTimeScalar } from "@asky/runtime";
import type { Resolvers } from "../generated/resolvers-types.js";
import { AuditEntry } from "./audit-entry.js";
import { authMutations } from "./auth-mutations.js";
import { Query } from "./query.js";
import { User } from "./user.js";
import { userMutations } from "./user-mutations.js";
import { witnessMutations } from "./witness-mutations.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation: { ...authMutations, ...userMutations, ...witnessMutations },
  User,
  AuditEntry,
};
