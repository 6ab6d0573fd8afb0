import type { GraphQLFormattedError } from "graphql";

/**
 * Apollo Gateway marks errors that came from a subgraph with the subgraph's name (and, for
 * failed fetches, its URL in the message's cause). Clients need the code and message only.
 */
const topologyExtensions = new Set(["serviceName", "query", "variables"]);

export function hideTopology(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions;
  if (!extensions || !Object.keys(extensions).some((key) => topologyExtensions.has(key))) return formatted;
  return {
    ...formatted,
    extensions: Object.fromEntries(Object.entries(extensions).filter(([key]) => !topologyExtensions.has(key))),
  };
}
