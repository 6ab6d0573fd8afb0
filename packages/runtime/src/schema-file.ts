import { readFileSync } from "node:fs";
import { parse, type DocumentNode } from "graphql";

/** Parses a subgraph's schema.graphql; read once at start-up. */
export function loadTypeDefs(url: URL): DocumentNode {
  return parse(readFileSync(url, "utf8"));
}
