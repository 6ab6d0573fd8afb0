import { and, eq, inArray } from "drizzle-orm";
import { outbox } from "@asky/db/schema/requests";
import {
  isUuid,
  parseStored,
  requestCreated,
  requestLinesChanged,
  requestStatusChanged,
  slaBreached,
  slaWarning,
  type RequestStatus,
  type SlaStage,
} from "@asky/contracts";
import type { RequestsDb } from "./db.js";

/** A request event as stored in the outbox, the durable record of what was published. */
export interface RequestEventRow {
  readonly id: string;
  readonly cursor: string;
  readonly type: "CREATED" | "STATUS_CHANGED" | "LINES_CHANGED" | "SLA_WARNING" | "SLA_BREACHED";
  readonly requestId: string;
  readonly ward: string;
  readonly previousStatus: RequestStatus | null;
  readonly status: RequestStatus;
  /** The request's version after the event (the clock's: the version when it noticed). */
  readonly version: number;
  readonly at: Date;
  /** Null for the clock's events: nobody did anything. */
  readonly actorId: string | null;
  readonly slaStage: SlaStage | null;
  readonly slaDueAt: Date | null;
}

const typeBySubject = {
  [requestCreated.subject]: "CREATED",
  [requestStatusChanged.subject]: "STATUS_CHANGED",
  [requestLinesChanged.subject]: "LINES_CHANGED",
  [slaWarning.subject]: "SLA_WARNING",
  [slaBreached.subject]: "SLA_BREACHED",
} as const;

type Stored = Omit<RequestEventRow, "cursor" | "type">;

/** The stored payload read with its own contract; null when the contract refuses it. */
function readStored(type: RequestEventRow["type"], payload: unknown): Stored | null {
  if (type === "SLA_WARNING" || type === "SLA_BREACHED") {
    const event = parseStored(type === "SLA_WARNING" ? slaWarning : slaBreached, payload);
    if (!event) return null;
    const { data } = event;
    return {
      id: event.id,
      requestId: data.requestId,
      ward: data.ward,
      previousStatus: null,
      status: data.status,
      version: data.version,
      at: new Date(event.occurredAt),
      actorId: null,
      slaStage: data.stage,
      slaDueAt: new Date(data.dueAt),
    };
  }
  const contract =
    type === "CREATED" ? requestCreated : type === "LINES_CHANGED" ? requestLinesChanged : requestStatusChanged;
  const event = parseStored(contract, payload);
  if (!event) return null;
  const { data } = event;
  return {
    id: event.id,
    requestId: data.requestId,
    ward: data.ward,
    previousStatus: data.previousStatus,
    status: data.status,
    version: data.version,
    at: new Date(event.occurredAt),
    actorId: data.actorId,
    slaStage: null,
    slaDueAt: null,
  };
}

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
  const stored = readStored(type, row.payload);
  return stored && { ...stored, cursor: cursor ?? stored.id, type };
}
