import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { trace } from "@opentelemetry/api";
import { currentGraphQLFacts } from "./http-request-telemetry.js";

/**
 * Tells the HTTP request's span and latency histogram which GraphQL operation it carried and
 * how it ended. Names and types only: never the document, never a variable's value (they hold
 * patient-adjacent data), never an error's message.
 */
export function graphqlTelemetryPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const known = currentGraphQLFacts();
      return {
        async didResolveOperation({ operationName, operation }) {
          if (!operation) return;
          if (known) {
            known.operationName = operationName ?? undefined;
            known.operationType = operation.operation;
          }
          const span = trace.getActiveSpan();
          if (operationName) span?.setAttribute("graphql.operation.name", operationName);
          span?.setAttribute("graphql.operation.type", operation.operation);
        },
        async didEncounterErrors({ errors }) {
          const code = errors[0]?.extensions?.code;
          if (known && known.errorCode === undefined)
            known.errorCode = typeof code === "string" ? code : "INTERNAL_SERVER_ERROR";
        },
      };
    },
  };
}
