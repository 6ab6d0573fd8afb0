import type { GatewayContext } from "../context.js";
import type { OperationExecutor } from "./execute-operation.js";
import type { SubscriptionHub } from "./subscription-hub.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

/**
 * Checks under way, per executor (one per gateway), by subscription group. A group's members
 * ask the same field the same question with the same role and ward (subscription-plan.ts), so
 * they get the same answer: a burst of identical subscribes (a ward's screens reconnecting after
 * a restart, one board in many tabs) shares one check, and the lookups a field makes (a request,
 * a cabinet) cost one read per burst rather than one per subscriber. Nothing is kept once a
 * check settles.
 */
const underWay = new WeakMap<OperationExecutor, Map<string, Promise<void>>>();

/**
 * Refuses at subscribe time what the subscriber could never see, with the answers the HTTP
 * API gives for the same question: each field says what (fields/*.ts). A subscription joining
 * a live group passed the check its members passed: from the check settling to the group's
 * first member joining is one turn of the event loop, so nothing falls between the two. Per-event
 * checks still apply afterwards, whatever changed since.
 */
export async function authorizeSubscription(
  plan: SubscriptionPlan,
  context: GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> },
  execute: OperationExecutor,
  hub: Pick<SubscriptionHub, "serves">,
): Promise<void> {
  if (hub.serves(plan.groupKey)) return;
  let checks = underWay.get(execute);
  if (!checks) underWay.set(execute, (checks = new Map()));
  const shared = checks.get(plan.groupKey);
  if (shared) return shared;
  const check = plan.field.authorize({
    filter: plan.filter,
    viewer: context.viewer,
    query: (query, variables) => execute(query, variables, context),
  });
  checks.set(plan.groupKey, check);
  try {
    await check;
  } finally {
    checks.delete(plan.groupKey);
  }
}
