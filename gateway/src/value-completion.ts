import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "./context.js";

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo Gateway reports a subgraph answer that breaks the schema (say an entity no subgraph
 * could resolve, under a non-null field) in `extensions.valueCompletion` rather than in
 * `errors` (federation#2380). The client then gets its data nulled up to the nearest nullable
 * field and no error at all: a ward board that is silently empty. Each such report becomes an
 * error like any other unexpected one, masked for the client and logged with the correlation id.
 */
export function valueCompletionErrors(format: FormatError): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const reported = result.extensions?.valueCompletion;
          if (!Array.isArray(reported) || reported.length === 0) return;
          const { valueCompletion: _reported, ...extensions } = result.extensions ?? {};
          // The gateway's own classification (its codes say "the query was wrong") does not
          // apply: a subgraph broke the schema, which is the system's fault, never the client's.
          const errors = reported.map((error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            const path = error instanceof GraphQLError ? error.path : undefined;
            return format({ message, ...(path ? { path } : {}) }, new Error(`value completion: ${message}`));
          });
          response.body.singleResult = {
            ...result,
            errors: [...(result.errors ?? []), ...errors],
            extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
          };
        },
      };
    },
  };
}
