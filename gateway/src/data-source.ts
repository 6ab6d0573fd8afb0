import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayContext } from "./context.js";

/**
 * Calls one subgraph. Carries the client's correlation id so a nurse's error report can
 * be followed from the gateway log into the subgraph that failed.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ("requestId" in context && typeof context.requestId === "string") {
      request.http?.headers.set("x-request-id", context.requestId);
    }
  }
}
