import type { CatalogItemResolvers } from "../generated/resolvers-types.js";

/** This subgraph knows catalog items only by id (@interfaceObject); the id is all it resolves. */
export const CatalogItem: CatalogItemResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
};
