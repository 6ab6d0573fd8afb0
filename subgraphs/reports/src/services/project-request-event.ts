import type { EventEnvelope, PickRecordedData, RequestEventData } from "@asky/contracts";
import {
  advanceRequestVersion,
  upsertLineFacts,
  upsertRequestFact,
  type SqlExecutor,
} from "../data/project-request.js";
import { projectedLines } from "../domain/projected-lines.js";
import { statusColumn } from "../domain/status-column.js";

/**
 * Applies one request lifecycle event to the read model. Idempotent and order-tolerant (see
 * the data statements), so the live consumers and a rebuild's replay may both apply the same
 * event, in any order, and leave the same rows.
 */
export async function projectRequestEvent(tx: SqlExecutor, event: EventEnvelope<RequestEventData>): Promise<void> {
  await upsertRequestFact(tx, event, statusColumn(event.data.status));
  await upsertLineFacts(tx, event.data.requestId, event.data.version, projectedLines(event.data));
}

/**
 * Applies asky.requests.lines_changed: the lines as the request's new version has them and the
 * version advanced, no status time moved (the status did not change). Idempotent and
 * order-tolerant like the lifecycle's.
 */
export async function projectLinesChanged(tx: SqlExecutor, event: EventEnvelope<RequestEventData>): Promise<void> {
  await upsertRequestFact(tx, event, null);
  await upsertLineFacts(tx, event.data.requestId, event.data.version, projectedLines(event.data));
}

/**
 * Applies asky.requests.pick_recorded: only the version it reached, so that the read model
 * follows every version of the request; what was picked arrives with the dispatch's event.
 */
export async function projectPickRecorded(tx: SqlExecutor, event: EventEnvelope<PickRecordedData>): Promise<void> {
  await advanceRequestVersion(tx, event.data.requestId, event.data.version);
}
