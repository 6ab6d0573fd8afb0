/**
 * The subgraphs this gateway federates. Names must match the `join__Graph` names in the
 * supergraph; the committed supergraph carries these default URLs and the gateway lets
 * environment variables override them, so replicas on other ports need no recomposition.
 */
export interface SubgraphDefinition {
  readonly name: "users" | "dispensers" | "requests";
  readonly envVar: string;
  readonly defaultUrl: string;
}

export const subgraphs: readonly SubgraphDefinition[] = [
  { name: "users", envVar: "USERS_URL", defaultUrl: "http://127.0.0.1:4001/graphql" },
  { name: "dispensers", envVar: "DISPENSERS_URL", defaultUrl: "http://127.0.0.1:4002/graphql" },
  { name: "requests", envVar: "REQUESTS_URL", defaultUrl: "http://127.0.0.1:4003/graphql" },
];

/** `/health` next to a subgraph's GraphQL endpoint. */
export function healthUrlOf(graphqlUrl: string): string {
  return new URL("/health", graphqlUrl).toString();
}
