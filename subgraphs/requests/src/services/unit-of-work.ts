import type { RequestsContext } from "../context.js";
import type { RequestsTx } from "../data/db.js";

/**
 * Runs a write in one transaction (state, history and outbox event commit together or not at
 * all), then wakes the relay so the event goes out now rather than at the next NOTIFY.
 */
export async function inTransaction<T>(
  context: Pick<RequestsContext, "db" | "services">,
  work: (tx: RequestsTx) => Promise<T>,
): Promise<T> {
  const result = await context.db.transaction(work);
  context.services.wakeRelay();
  return result;
}
