import type { GatewayContext } from "../context.js";
import type { OperationExecutor } from "./execute-operation.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

/**
 * Refuses at subscribe time what the subscriber could never see, with the answers the HTTP
 * API gives for the same question: each field says what (fields/*.ts). Per-event checks still
 * apply afterwards.
 */
export async function authorizeSubscription(
  plan: SubscriptionPlan,
  context: GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> },
  execute: OperationExecutor,
): Promise<void> {
  await plan.field.authorize({
    filter: plan.filter,
    viewer: context.viewer,
    query: (query, variables) => execute(query, variables, context),
  });
}
