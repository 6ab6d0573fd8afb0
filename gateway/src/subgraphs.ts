import { defaultGraphqlUrl, serviceRegistry, subgraphNames, type SubgraphName } from "@asky/contracts";
import { HEALTH_PATH } from "@asky/runtime";

/**
 * The subgraphs this gateway federates, read off the service registry. Names must match the
 * `join__Graph` names in the supergraph; the committed supergraph carries these default URLs
 * and the gateway lets environment variables override them, so replicas on other ports need
 * no recomposition.
 */
export interface SubgraphDefinition {
  readonly name: SubgraphName;
  readonly envVar: string;
  readonly defaultUrl: string;
}

export const subgraphs: readonly SubgraphDefinition[] = subgraphNames.map((name) => ({
  name,
  envVar: serviceRegistry[name].urlEnvVar,
  defaultUrl: defaultGraphqlUrl(name),
}));

/** `/health` next to a subgraph's GraphQL endpoint. */
export function healthUrlOf(graphqlUrl: string): string {
  return new URL(HEALTH_PATH, graphqlUrl).toString();
}
