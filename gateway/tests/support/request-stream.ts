/**
 * What the requests service published, read back for the subscription tests: the request
 * lifecycle events in the ASKY stream, and whether its outbox still holds unpublished rows.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import { eventSubjects } from "@asky/contracts";
import { STREAM_NAME } from "@asky/events";

export interface StreamedRequestEvent {
  seq: number;
  type: "CREATED" | "STATUS_CHANGED";
  requestId: string;
}

/** Every request lifecycle event stored after sequence `after`, in stream order. */
export async function requestEventsInStream(nc: NatsConnection, after = 0): Promise<StreamedRequestEvent[]> {
  const jsm = await jetstreamManager(nc);
  const { state } = await jsm.streams.info(STREAM_NAME);
  const events: StreamedRequestEvent[] = [];
  for (let seq = Math.max(state.first_seq, after + 1); seq <= state.last_seq && state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(STREAM_NAME, { seq });
    if (!message) continue;
    const type =
      message.subject === eventSubjects.requestCreated
        ? "CREATED"
        : message.subject === eventSubjects.requestStatusChanged
          ? "STATUS_CHANGED"
          : null;
    if (type === null) continue;
    events.push({ seq, type, requestId: String(message.json<{ data: { requestId: string } }>().data.requestId) });
  }
  return events;
}

/** True once every row of the requests outbox reachable at `databaseUrl` was published. */
export async function requestsOutboxDrained(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from requests.outbox where published_at is null`,
    );
    return rows[0]!.n === 0;
  } finally {
    await client.end();
  }
}
