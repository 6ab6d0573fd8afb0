import { DateScalar, DateTimeScalar } from "@asky/runtime";
import type { Resolvers } from "../generated/resolvers-types.js";
import { Mutation } from "./mutation.js";
import { Query } from "./query.js";
import { ReportGroup } from "./report-group.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query,
  Mutation,
  ReportGroup,
};
