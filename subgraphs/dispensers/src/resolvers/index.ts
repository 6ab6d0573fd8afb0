import { DateTimeScalar } from "@asky/common";
import type { Resolvers } from "../generated/resolvers-types.js";
import { CatalogItem, Material, Medication } from "./catalog-item.js";
import { Dispenser } from "./dispenser.js";
import { Query } from "./query.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Dispenser, CatalogItem, Medication, Material };
