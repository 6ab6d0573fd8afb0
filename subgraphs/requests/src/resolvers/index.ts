import { DateTimeScalar, DateScalar } from "@asky/runtime";
import type { Resolvers } from "../generated/resolvers-types.js";
import { CatalogItem } from "./catalog-item.js";
import { Dispenser, User } from "./entities.js";
import { Mutation } from "./mutation.js";
import { Query } from "./query.js";
import { Request, RequestHistoryEntry, RequestItem } from "./request.js";
import { RequestEvent, requestEvent } from "./request-event.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  // requestEvent: how the gateway resolves subscription payloads (see request-event.ts).
  Query: { ...Query, requestEvent },
  Mutation,
  Request,
  RequestItem,
  RequestHistoryEntry,
  RequestEvent,
  CatalogItem,
  User,
  Dispenser,
};
