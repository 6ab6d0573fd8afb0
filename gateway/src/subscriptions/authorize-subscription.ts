import { errors } from "@asky/common";
import type { GatewayContext } from "../context.js";
import type { OperationExecutor } from "./execute-operation.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

/**
 * Refuses at subscribe time what the subscriber could never see, with the same answers
 * the HTTP API gives: a nurse asking for another ward is FORBIDDEN, and a request she may
 * not see does not exist for her. Per-event checks still apply afterwards.
 */
export async function authorizeSubscription(
  plan: SubscriptionPlan,
  context: GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> },
  execute: OperationExecutor,
): Promise<void> {
  const { viewer } = context;
  if (viewer.role === "NURSE" && plan.filter.ward !== undefined && plan.filter.ward !== viewer.ward) {
    throw errors.forbidden("Nurses follow the requests of their own ward only");
  }
  if (plan.filter.requestId !== undefined) {
    const result = await execute(`query SubscriptionTarget($id: ID!) { request(id: $id) { id } }`, { id: plan.filter.requestId }, context);
    const request = (result.data as { request?: { id: string } | null } | null | undefined)?.request;
    if (!request) throw errors.notFound("Request", plan.filter.requestId);
  }
}
