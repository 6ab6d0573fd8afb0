import type { EventEnvelope, SlaEventData } from "@asky/contracts";
import { upsertRequestFact, type SqlExecutor } from "../data/project-request.js";

export type SlaMark = "SLA_WARNING" | "SLA_BREACHED";

/**
 * Applies one turnaround clock event (asky.requests.sla_warning / sla_breached) to the read
 * model: the request's first warning or breach, at any stage, at the time the clock noticed it
 * (the event's occurredAt, the clock transaction's time). LEAST keeps the first whatever the
 * order or the redeliveries; the event carries what creates the request's row, so it may come
 * before the request's `created` event, which then fills the rest in.
 */
export async function projectSlaEvent(tx: SqlExecutor, mark: SlaMark, event: EventEnvelope<SlaEventData>) {
  await upsertRequestFact(tx, event, mark === "SLA_WARNING" ? "sla_warned_at" : "sla_breached_at");
}
