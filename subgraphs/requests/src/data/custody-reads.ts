import { and, desc, eq } from "drizzle-orm";
import { requestHistory, witnessUses } from "@asky/db/schema/requests";
import type { RequestsExecutor } from "./db.js";

/** Who recorded the request's latest pick (the one a verifier checks); null when none was. */
export async function latestPickerOf(db: RequestsExecutor, requestId: string): Promise<string | null> {
  const [row] = await db
    .select({ actorId: requestHistory.actorId })
    .from(requestHistory)
    .where(and(eq(requestHistory.requestId, requestId), eq(requestHistory.event, "PICK_RECORDED")))
    .orderBy(desc(requestHistory.seq))
    .limit(1);
  return row?.actorId ?? null;
}

/** Whether a witness token was spent already (the transaction's insert is the guard; this answers a replay early). */
export async function witnessUsed(db: RequestsExecutor, jti: string): Promise<boolean> {
  const [row] = await db.select({ jti: witnessUses.jti }).from(witnessUses).where(eq(witnessUses.jti, jti));
  return row !== undefined;
}
