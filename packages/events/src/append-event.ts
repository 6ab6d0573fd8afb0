import { sql } from "drizzle-orm";
import type { EventEnvelope } from "@asky/contracts";
import { column, outboxChannel, type OutboxTable, type SqlExecutor } from "./outbox-table.js";

/**
 * Writes an event to the outbox inside the caller's transaction, so it exists if and only if
 * the state change commits. The NOTIFY is transactional too: Postgres delivers it at commit,
 * which wakes the relay without it having to poll.
 */
export async function appendEvent(tx: SqlExecutor, outbox: OutboxTable, envelope: EventEnvelope): Promise<void> {
  // One statement, one round trip: every write of every service ends with this.
  await tx.execute(sql`
    with appended as (
      insert into ${outbox} (${column(outbox.id)}, ${column(outbox.subject)}, ${column(outbox.payload)})
      values (${envelope.id}, ${envelope.subject}, ${JSON.stringify(envelope)}::jsonb)
      returning 1
    )
    select pg_notify(${outboxChannel(outbox)}, '') from appended`);
}
