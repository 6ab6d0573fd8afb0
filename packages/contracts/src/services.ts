/**
 * Every Asky service reachable over HTTP, spelled once: the stack's default ports, the
 * gateway's subgraph list and URL variables, the subgraphs' defaults and docker-compose.yml
 * (checked by a test) all read this.
 */
export interface ServiceEntry {
  readonly name: string;
  /** Where it listens unless told otherwise (`PORT`). */
  readonly defaultPort: number;
  /** Its schema, relative to the repository root: a subgraph's own, the gateway's supergraph. */
  readonly schemaPath: string;
  /**
   * The variable that tells a caller of this service where its GraphQL endpoint is, e.g.
   * `USERS_URL`; null for the gateway, which only clients call.
   */
  readonly urlEnvVar: string | null;
}

export const serviceRegistry = {
  gateway: { name: "gateway", defaultPort: 4000, schemaPath: "gateway/supergraph.graphql", urlEnvVar: null },
  users: { name: "users", defaultPort: 4001, schemaPath: "subgraphs/users/schema.graphql", urlEnvVar: "USERS_URL" },
  dispensers: {
    name: "dispensers",
    defaultPort: 4002,
    schemaPath: "subgraphs/dispensers/schema.graphql",
    urlEnvVar: "DISPENSERS_URL",
  },
  requests: {
    name: "requests",
    defaultPort: 4003,
    schemaPath: "subgraphs/requests/schema.graphql",
    urlEnvVar: "REQUESTS_URL",
  },
  reports: {
    name: "reports",
    defaultPort: 4004,
    schemaPath: "subgraphs/reports/schema.graphql",
    urlEnvVar: "REPORTS_URL",
  },
} as const satisfies Record<string, ServiceEntry>;

export type ServiceId = keyof typeof serviceRegistry;

/** The subgraphs, in the order the gateway lists them (and the stack starts them). */
export const subgraphNames = ["users", "dispensers", "requests", "reports"] as const satisfies readonly ServiceId[];
export type SubgraphName = (typeof subgraphNames)[number];

/** A service's GraphQL endpoint on the default port of `host`, as a local client reaches it. */
export function defaultGraphqlUrl(id: ServiceId, host = "127.0.0.1"): string {
  return `http://${host}:${serviceRegistry[id].defaultPort}/graphql`;
}
