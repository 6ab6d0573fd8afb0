import { DateTimeScalar } from "@asky/common";
import type { Resolvers } from "../generated/resolvers-types.js";
import { Query } from "./query.js";
import { User } from "./user.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, User };
