import type { ReportGroupResolvers } from "../generated/resolvers-types.js";

/** An entity of another subgraph, returned by id: the gateway asks its owner for the rest. */
export interface EntityReference {
  readonly id: string;
}

/** The cabinet and item of a row as references to the dispensers subgraph's entities. */
export const ReportGroup: ReportGroupResolvers = {
  dispenser: (group) => (group.dispenserId === null ? null : { __typename: "Dispenser", id: group.dispenserId }),
  item: (group) => (group.itemId === null ? null : { __typename: "CatalogItem", id: group.itemId }),
};
