import { sql } from "drizzle-orm";
import type { EventEnvelope } from "@asky/contracts";
import { currentTraceHeaders } from "@asky/telemetry";
import { column, outboxChannel, type OutboxTable, type SqlExecutor } from "./outbox-table.js";
import { traceHeadersToStore } from "./trace-headers.js";

/**
 * Writes an event to the outbox inside the caller's transaction, so it exists if and only if
 * the state change commits. The NOTIFY is transactional too: Postgres delivers it at commit,
 * which wakes the relay without it having to poll.
 *
 * The row keeps the W3C trace context of the writer (the request's span, or a consumer's), so
 * the relay's publish joins that trace; null when nothing is traced (tracing off: no cost).
 */
export async function appendEvent(tx: SqlExecutor, outbox: OutboxTable, envelope: EventEnvelope): Promise<void> {
  const traceHeaders = traceHeadersToStore(currentTraceHeaders());
  // One statement, one round trip: every write of every service ends with this.
  await tx.execute(sql`
    with appended as (
      insert into ${outbox} (${column(outbox.id)}, ${column(outbox.subject)}, ${column(outbox.payload)}, ${column(outbox.headers)})
      values (${envelope.id}, ${envelope.subject}, ${JSON.stringify(envelope)}::jsonb, ${traceHeaders}::jsonb)
      returning 1
    )
    select pg_notify(${outboxChannel(outbox)}, '') from appended`);
}
