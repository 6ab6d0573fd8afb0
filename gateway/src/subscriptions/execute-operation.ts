import { GraphQLError, type ExecutionResult } from "graphql";
import type { ApolloServer } from "@apollo/server";
import type { GatewayContext } from "../context.js";
import { encodeEventCursor } from "./event-cursor.js";
import type { PayloadSource } from "./feed-event.js";
import { CURSOR_VARIABLE, EVENT_ID_VARIABLE } from "./payload-query.js";
import type { PayloadExecutor } from "./subscription-hub.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

export type OperationExecutor = (
  query: string,
  variables: Readonly<Record<string, unknown>>,
  context: GatewayContext,
) => Promise<ExecutionResult>;

/**
 * Runs an operation through the gateway's own Apollo Server: the same query planning,
 * plugins, internal tokens and error masking as an HTTP request from this client.
 */
export function operationExecutor(apollo: ApolloServer<GatewayContext>): OperationExecutor {
  return async (query, variables, context) => {
    const response = await apollo.executeOperation({ query, variables: { ...variables } }, { contextValue: context });
    if (response.body.kind !== "single") throw new Error("incremental delivery is not used by subscriptions");
    const { data, errors } = response.body.singleResult;
    return {
      ...(data !== undefined ? { data: data as Record<string, unknown> | null } : {}),
      ...(errors
        ? {
            errors: errors.map(
              (error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions }),
            ),
          }
        : {}),
    };
  };
}

/** Resolves one event for one plan; null when the subscriber may not see it. */
export function payloadExecutor(execute: OperationExecutor): PayloadExecutor {
  return async (plan: SubscriptionPlan, event: PayloadSource, context: GatewayContext) => {
    const result = await execute(
      plan.payloadQuery,
      { ...plan.variables, [EVENT_ID_VARIABLE]: event.eventId, [CURSOR_VARIABLE]: encodeEventCursor(event.seq) },
      context,
    );
    const payload = result.data?.[plan.field.payloadField] ?? null;
    if (payload === null && !result.errors) return null;
    return {
      data: payload === null ? null : { [plan.responseKey]: payload },
      ...(result.errors ? { errors: result.errors } : {}),
    };
  };
}
