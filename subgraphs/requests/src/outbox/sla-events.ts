import { appendEvent } from "@asky/events";
import { slaBreached, slaWarning } from "@asky/contracts";
import { outbox } from "@asky/db/schema/requests";
import type { RequestsTx } from "../data/db.js";
import type { RequestRow } from "../data/requests.js";

/**
 * Writes asky.requests.sla_warning or asky.requests.sla_breached for a request the clock just
 * marked, in the transaction of the mark: the mark and the event commit together or not at all.
 * `occurredAt` is the mark's instant (the database clock of that transaction).
 */
export async function recordSlaEvent(
  tx: RequestsTx,
  which: "SLA_WARNING" | "SLA_BREACHED",
  request: RequestRow,
  at: Date,
): Promise<void> {
  if (!request.slaStage || !request.slaDueAt) throw new Error(`request ${request.id} has no SLA stage to mark`);
  const contract = which === "SLA_WARNING" ? slaWarning : slaBreached;
  const envelope = contract.build(
    {
      requestId: request.id,
      number: request.number,
      kind: request.kind,
      priority: request.priority,
      ward: request.ward,
      dispenserId: request.dispenserId,
      status: request.status,
      version: request.version,
      stage: request.slaStage,
      dueAt: request.slaDueAt.toISOString(),
    },
    { occurredAt: at },
  );
  await appendEvent(tx, outbox, envelope);
}
