import { DateTimeScalar } from "@asky/common";
import type { Resolvers } from "../generated/resolvers-types.js";
import { CatalogItem } from "./catalog-item.js";
import { Query } from "./query.js";
import { Request, RequestHistoryEntry, RequestItem } from "./request.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Request, RequestItem, RequestHistoryEntry, CatalogItem };
