import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { slaPolicies, type RequestKind, type RequestPriority } from "@asky/db/schema/requests";
import { assertNever } from "@asky/runtime";
import type { SlaStage } from "@asky/contracts";

/** The policy column holding a stage's window. */
function windowOf(stage: SlaStage) {
  switch (stage) {
    case "ACCEPT":
      return slaPolicies.acceptWithinSeconds;
    case "DISPATCH":
      return slaPolicies.dispatchWithinSeconds;
    case "DELIVER":
      return slaPolicies.deliverWithinSeconds;
    default:
      return assertNever(stage, "SLA stage");
  }
}

/**
 * When `stage` falls due for a request of this kind and priority created at `createdAt`, by
 * the policy in force now (read in the same statement as the write, so the row and the policy
 * it was timed by are one snapshot). Every kind and priority has a policy (seeded by the
 * migration, never deleted).
 */
export function slaDueSql(
  stage: SlaStage,
  kind: RequestKind | AnyColumn,
  priority: RequestPriority | AnyColumn,
  createdAt: SQL | AnyColumn,
): SQL<Date> {
  return sql<Date>`(select ${createdAt} + make_interval(secs => ${windowOf(stage)})
    from ${slaPolicies} where ${slaPolicies.kind} = ${kind} and ${slaPolicies.priority} = ${priority})`;
}
