import { and, eq, inArray } from "drizzle-orm";
import { outbox } from "@asky/db/schema/requests";
import { isUuid, parseStored, requestCreated, requestStatusChanged, type RequestStatus } from "@asky/contracts";
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

const contracts = { CREATED: requestCreated, STATUS_CHANGED: requestStatusChanged } as const;
const typeBySubject = {
  [requestCreated.subject]: "CREATED",
  [requestStatusChanged.subject]: "STATUS_CHANGED",
} as const;

export async function loadRequestEvent(
  db: RequestsDb,
  eventId: string,
  cursor: string | null,
): Promise<RequestEventRow | null> {
  if (!isUuid(eventId)) return null;
  const [row] = await db
    .select({ id: outbox.id, subject: outbox.subject, payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.id, eventId), inArray(outbox.subject, Object.keys(typeBySubject))));
  if (!row) return null;
  const type = typeBySubject[row.subject as keyof typeof typeBySubject];
  const event = parseStored(contracts[type], row.payload);
  if (!event) return null;
  const { data } = event;
  return {
    id: event.id,
    cursor: cursor ?? event.id,
    type,
    requestId: data.requestId,
    ward: data.ward,
    previousStatus: data.previousStatus,
    status: data.status,
    at: new Date(event.occurredAt),
    actorId: data.actorId,
  };
}
