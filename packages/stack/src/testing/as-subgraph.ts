/**
 * A client of one subgraph called directly, past the gateway, with the internal token the
 * gateway would attach for `viewer`: for tests of what a subgraph itself decides.
 *
 *   const admin = asSubgraph("dispensers", demoViewer("admin@asky.dev"));
 *   const { dispenser } = await admin.ok(`query($id: ID!) { dispenser(id: $id) { id } }`, { id });
 */
import { inject } from "vitest";
import type { Viewer } from "@asky/contracts";
import type { ServiceName } from "@asky/db";
import { graphQLClient, type GraphQLClient } from "./graphql.js";
import { internalToken } from "./internal-token.js";

/** A client of the stack's `service` subgraph (or of the one at `url`: a replica, a private service). */
export function asSubgraph(service: ServiceName, viewer: Viewer | null, options: { url?: string } = {}): GraphQLClient {
  return graphQLClient(options.url ?? inject("subgraphUrls")[service], () => internalToken(service, viewer));
}
