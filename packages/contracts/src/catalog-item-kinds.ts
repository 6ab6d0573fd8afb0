/** The two kinds of catalog item the dispensers service keeps, and request lines and events name. */
export const catalogItemKinds = ["MEDICATION", "MATERIAL"] as const;
export type CatalogItemKind = (typeof catalogItemKinds)[number];
