import { errors } from "@asky/runtime";
import type { Viewer } from "@asky/contracts";
import type { RequestsContext } from "../context.js";
import { replaceSlaPolicy, type SlaPolicyRow } from "../data/sla-policies.js";
import type { SlaPolicyInput } from "../generated/resolvers-types.js";
import { normalizeSlaPolicy } from "../validation/sla-policy-input.js";
import { inTransaction } from "./unit-of-work.js";

/**
 * setSlaPolicy: checked whole before the transaction, then the policy and its audit entry
 * commit together. Open requests keep the due time of the stage they are in (it was promised
 * when the stage began, and their warnings may have gone out already); their next stages are
 * timed by the new windows.
 */
export async function setSlaPolicy(
  context: Pick<RequestsContext, "db">,
  viewer: Viewer,
  input: SlaPolicyInput,
): Promise<SlaPolicyRow> {
  const policy = normalizeSlaPolicy(input);
  const row = await inTransaction(context, (tx) => replaceSlaPolicy(tx, policy, viewer.id));
  if (!row) throw errors.notFound("SLA policy", `${policy.kind} ${policy.priority}`);
  return row;
}
