import { pageSize, searchTerm } from "@asky/common";
import { listCatalog } from "../data/catalog.js";
import { listDispensers } from "../data/dispensers.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";

export const Query: QueryResolvers = {
  dispensers: (_parent, { first, after, ward, search }, { db }) =>
    listDispensers(db, { ward, search: searchTerm(search) }, pageSize(first), after),
  dispenser: (_parent, { id }, { loaders }) => loaders.dispenser.load(id),
  catalog: (_parent, { first, after, search, kind }, { db }) =>
    listCatalog(db, { kind, search: searchTerm(search) }, pageSize(first), after),
  medication: async (_parent, { id }, { loaders }) => {
    const item = await loaders.catalogItem.load(id);
    return item?.kind === "MEDICATION" ? item : null;
  },
  material: async (_parent, { id }, { loaders }) => {
    const item = await loaders.catalogItem.load(id);
    return item?.kind === "MATERIAL" ? item : null;
  },
};
