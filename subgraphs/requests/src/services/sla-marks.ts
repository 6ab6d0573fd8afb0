import type { RequestsDb } from "../data/db.js";
import { dueForMarks, markIfDue } from "../data/sla-marks.js";
import { recordSlaEvent } from "../outbox/sla-events.js";
import { recordSlaMark, type SlaMarkType } from "../sla-metrics.js";
import type { RequestPriority, SlaStage } from "@asky/contracts";

/** How many requests one pass marks at most; the next pass takes the rest. */
const BATCH = 200;

/**
 * One pass of the turnaround clock: every request whose warning or breach is due gets it
 * marked and its event written, in one transaction per request (a failure leaves the others
 * done and this one for the next pass). A breach not warned of first (the clock was stopped)
 * is warned of and breached in the same transaction, in that order. Returns how many events
 * were written.
 */
export async function markDueSlas(db: RequestsDb, share: number): Promise<number> {
  let written = 0;
  for (const id of await dueForMarks(db, share, BATCH)) {
    const marked = await db.transaction(async (tx) => {
      const marks: { type: SlaMarkType; stage: SlaStage; priority: RequestPriority }[] = [];
      for (const which of ["SLA_WARNING", "SLA_BREACHED"] as const) {
        const row = await markIfDue(tx, id, which, share);
        const at = which === "SLA_WARNING" ? row?.slaWarnedAt : row?.slaBreachedAt;
        if (!row || !at) continue;
        await recordSlaEvent(tx, which, row, at);
        // recordSlaEvent refuses a row without a stage: it has one here.
        const type = which === "SLA_WARNING" ? "warning" : "breached";
        if (row.slaStage) marks.push({ type, stage: row.slaStage, priority: row.priority });
      }
      return marks;
    });
    // Counted once committed: a rolled-back mark was not made.
    for (const mark of marked) recordSlaMark(mark.type, mark.stage, mark.priority);
    written += marked.length;
  }
  return written;
}
