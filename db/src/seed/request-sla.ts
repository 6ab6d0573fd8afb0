import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";

type Db = NodePgDatabase<Record<string, never>>;

/**
 * Starts the turnaround clock of the seeded requests still in progress, as the service does
 * for its own: the stage their status races towards, due at creation plus the policy's window
 * (the policies are the migration's defaults). The seed writes rows directly, past the
 * service, so without this the demo's open requests would be missing from the pharmacy queue.
 * The same statement as migration 0005's backfill.
 */
export async function startSeededSlaClocks(tx: Db): Promise<void> {
  await tx.execute(sql`
    UPDATE requests.requests AS r SET
      sla_stage = s.stage,
      sla_due_at = r.created_at + make_interval(secs => CASE s.stage
        WHEN 'ACCEPT' THEN p.accept_within_seconds
        WHEN 'DISPATCH' THEN p.dispatch_within_seconds
        ELSE p.deliver_within_seconds END)
    FROM (VALUES ('PENDING', 'ACCEPT'), ('ACCEPTED', 'DISPATCH'), ('PREPARING', 'DISPATCH'),
                 ('VERIFIED', 'DISPATCH'), ('DISPATCHED', 'DELIVER')) AS s(status, stage),
      requests.sla_policies AS p
    WHERE r.status::text = s.status AND p.kind = r.kind AND p.priority = r.priority AND r.sla_stage IS NULL`);
}
