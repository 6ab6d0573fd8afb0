import type { RequestsContext } from "../context.js";
import type { RequestsTx } from "../data/db.js";

/**
 * Runs a write in one transaction: state, history and outbox event commit together or not
 * at all. The NOTIFY that the outbox insert carries wakes the relay at commit.
 */
export function inTransaction<T>(
  context: Pick<RequestsContext, "db">,
  work: (tx: RequestsTx) => Promise<T>,
): Promise<T> {
  return context.db.transaction(work);
}
