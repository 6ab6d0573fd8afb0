/**
 * Entities owned by other subgraphs are returned as bare references; the gateway asks
 * their owners for the fields a client selected.
 */
export interface EntityReference {
  readonly id: string;
}

export const userRef = (id: string) => ({ __typename: "User" as const, id });
export const dispenserRef = (id: string) => ({ __typename: "Dispenser" as const, id });
export const catalogItemRef = (id: string) => ({ __typename: "CatalogItem" as const, id });
