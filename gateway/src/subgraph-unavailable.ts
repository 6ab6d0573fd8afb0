import { GraphQLError } from "graphql";
import { ErrorCode } from "@asky/runtime";

/** `extensions.reason` of the error a client gets for a subgraph that is down or stalled. */
export const SUBGRAPH_UNAVAILABLE = "SUBGRAPH_UNAVAILABLE";

/**
 * The call never got an answer: connection refused or reset (the subgraph is down or
 * restarting), or nothing within SUBGRAPH_TIMEOUT_MS (stalled, or its host unreachable).
 * Thrown by the fetcher; the data source turns it into what the client sees.
 */
export class SubgraphUnreachableError extends Error {
  constructor(cause: unknown) {
    super(`no answer from the subgraph: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "SubgraphUnreachableError";
  }
}

/** What a load balancer in front of subgraph replicas answers when none is ready. */
export const unavailableStatuses: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Still INTERNAL_SERVER_ERROR (the client did nothing wrong, and the contract has no other
 * code for it), but not masked into the generic message: a client that can tell "down for a
 * moment" from "broken" retries the one and reports the other. Which subgraph, and where it
 * lives, stays in the gateway's log under the correlation id; the fields other subgraphs
 * resolve still reach the client.
 */
export function subgraphUnavailable(correlationId: string): GraphQLError {
  return new GraphQLError("A service behind the gateway is unavailable; try again shortly", {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: SUBGRAPH_UNAVAILABLE, correlationId },
  });
}
