import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, primaryKey, uuid, type PgEnum, type PgSchema } from "drizzle-orm/pg-core";
import type { RequestKind, RequestPriority } from "@asky/contracts";
import { timestamptz } from "./columns.js";

/** The longest window a policy may set (a week): longer is a typo, not a service level. */
export const MAX_SLA_WINDOW_SECONDS = 7 * 24 * 3600;

/**
 * The turnaround targets per kind and priority (issue 17), and the log of every change to
 * them. Windows count from the request's creation: accepted within `accept`, dispatched
 * within `dispatch`, at the ward within `deliver` (the literature measures STAT that way),
 * so they only grow from one milestone to the next.
 */
export function slaPolicyTables<
  TSchema extends string,
  TKinds extends [RequestKind, ...RequestKind[]],
  TPriorities extends [RequestPriority, ...RequestPriority[]],
>(schema: PgSchema<TSchema>, kindEnum: PgEnum<TKinds>, priorityEnum: PgEnum<TPriorities>) {
  const windows = {
    acceptWithinSeconds: integer("accept_within_seconds").notNull(),
    dispatchWithinSeconds: integer("dispatch_within_seconds").notNull(),
    deliverWithinSeconds: integer("deliver_within_seconds").notNull(),
  };
  const slaPolicies = schema.table(
    "sla_policies",
    {
      kind: kindEnum("kind").notNull(),
      priority: priorityEnum("priority").notNull(),
      ...windows,
      updatedAt: timestamptz("updated_at").notNull().defaultNow(),
      /** Null for the seeded defaults. */
      updatedBy: uuid("updated_by"),
    },
    (t) => [
      primaryKey({ name: "sla_policies_pkey", columns: [t.kind, t.priority] }),
      check(
        "sla_policies_windows_check",
        sql`${t.acceptWithinSeconds} >= 1 AND ${t.acceptWithinSeconds} <= ${t.dispatchWithinSeconds} AND ${t.dispatchWithinSeconds} <= ${t.deliverWithinSeconds} AND ${t.deliverWithinSeconds} <= ${sql.raw(String(MAX_SLA_WINDOW_SECONDS))}`,
      ),
    ],
  );
  /** Append-only audit of setSlaPolicy: who changed which policy, from what to what. */
  const slaPolicyChanges = schema.table(
    "sla_policy_changes",
    {
      seq: bigserial("seq", { mode: "number" }).primaryKey(),
      kind: kindEnum("kind").notNull(),
      priority: priorityEnum("priority").notNull(),
      previousAcceptWithinSeconds: integer("previous_accept_within_seconds").notNull(),
      previousDispatchWithinSeconds: integer("previous_dispatch_within_seconds").notNull(),
      previousDeliverWithinSeconds: integer("previous_deliver_within_seconds").notNull(),
      ...windows,
      actorId: uuid("actor_id").notNull(),
      at: timestamptz("at").notNull().defaultNow(),
    },
    (t) => [index("sla_policy_changes_kind_priority_seq_idx").on(t.kind, t.priority, t.seq)],
  );
  return { slaPolicies, slaPolicyChanges };
}
