import { and, eq, inArray } from "drizzle-orm";
import { outbox, type RequestStatus } from "@asky/db/schema/requests";
import { eventSubjects, isUuid } from "@asky/common";
import type { RequestsDb } from "./db.js";

/** A request event as stored in the outbox, the durable record of what was published. */
export interface RequestEventRow {
  readonly id: string;
  readonly cursor: string;
  readonly type: "CREATED" | "STATUS_CHANGED";
  readonly requestId: string;
  readonly ward: string;
  readonly previousStatus: RequestStatus | null;
  readonly status: RequestStatus;
  readonly at: Date;
  readonly actorId: string;
}

const typeBySubject = {
  [eventSubjects.requestCreated]: "CREATED",
  [eventSubjects.requestStatusChanged]: "STATUS_CHANGED",
} as const;

interface StoredEventData {
  requestId: string;
  ward: string;
  previousStatus: RequestStatus | null;
  status: RequestStatus;
  at: string;
  actorId: string;
}

export async function loadRequestEvent(db: RequestsDb, eventId: string, cursor: string | null): Promise<RequestEventRow | null> {
  if (!isUuid(eventId)) return null;
  const [row] = await db
    .select({ id: outbox.id, subject: outbox.subject, payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.id, eventId), inArray(outbox.subject, Object.keys(typeBySubject))));
  if (!row) return null;
  const data = (row.payload as { data: StoredEventData }).data;
  return {
    id: row.id,
    cursor: cursor ?? row.id,
    type: typeBySubject[row.subject as keyof typeof typeBySubject],
    requestId: data.requestId,
    ward: data.ward,
    previousStatus: data.previousStatus,
    status: data.status,
    at: new Date(data.at),
    actorId: data.actorId,
  };
}
