import type { RequestsDb } from "../data/db.js";
import { dueForMarks, markIfDue } from "../data/sla-marks.js";
import { recordSlaEvent } from "../outbox/sla-events.js";

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
    written += await db.transaction(async (tx) => {
      let events = 0;
      for (const which of ["SLA_WARNING", "SLA_BREACHED"] as const) {
        const row = await markIfDue(tx, id, which, share);
        const at = which === "SLA_WARNING" ? row?.slaWarnedAt : row?.slaBreachedAt;
        if (!row || !at) continue;
        await recordSlaEvent(tx, which, row, at);
        events += 1;
      }
      return events;
    });
  }
  return written;
}
