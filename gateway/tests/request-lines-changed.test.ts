/**
 * A PENDING RESTOCK grown by the restock loop is an event like any other change of a request:
 * a second stock_low crossing of the cabinet raises the line's quantity and the request's
 * version, and writes asky.requests.lines_changed with it. The ward board receives it live
 * (LINES_CHANGED, the new version and quantities) and once more on resuming, never a nurse of
 * another ward; the reports read model reaches the version and the quantities. Everything
 * through the real chain: the dispensers service raises stock_low, the requests service grows
 * the restock, the gateway delivers.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoToken, eventually, testStack } from "@asky/stack/testing";
import { changeStatus } from "./support/requests-api.js";
import { adjust, freshSlot, type StockSlot } from "./support/stock-api.js";
import { subscribe, until, wsClient } from "./support/ws-client.js";

const stack = testStack();
const WARD = "UTI-ADULTO";
const pool = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 1 });

interface BoardEvent {
  requestEvents: {
    cursor: string;
    type: string;
    previousStatus: string | null;
    status: string;
    version: number;
    request: { id: string; kind: string; version: number; items: { quantity: number; item: { id: string } }[] };
  };
}

const BOARD = `subscription($dispenserId: ID, $after: String) {
  requestEvents(dispenserId: $dispenserId, after: $after) {
    cursor type previousStatus status version
    request { id kind version items { quantity item { id } } }
  }
}`;

let tokens: { admin: string; pharmacist: string; tech: string; nurse: string; otherNurse: string };

beforeAll(async () => {
  const [admin, pharmacist, tech, nurse, otherNurse] = await Promise.all([
    demoToken("admin@asky.dev"),
    demoToken("pharmacist@asky.dev"),
    demoToken("tech@asky.dev"),
    demoToken("nurse@asky.dev"),
    demoToken("nurse.peds@asky.dev"),
  ]);
  tokens = { admin, pharmacist, tech, nurse, otherNurse };
});
afterAll(async () => {
  await pool.end();
});

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the level (par 40, minimum 10) from wherever it is to `to`, crossing its minimum once. */
async function crossTo(slot: StockSlot, to: number): Promise<void> {
  const { quantity } = await adjust(slot, 40, tokens.tech);
  expect((await adjust(slot, to - quantity, tokens.tech)).low).toBe(true);
}

interface Facts {
  version: number;
  status: string;
  created_at: Date | null;
  quantity_requested: number;
}

async function readModel(requestId: string): Promise<Facts | undefined> {
  const { rows } = await pool.query<Facts>(
    `select f.version, f.status, f.created_at, l.quantity_requested
       from reports.request_facts f join reports.request_line_facts l using (request_id)
      where f.request_id = $1`,
    [requestId],
  );
  return rows[0];
}

describe("LINES_CHANGED: a pending restock grown by the restock loop", () => {
  it("reaches the ward's board once, live and on resuming, never another ward, and the read model", async () => {
    const slot = await freshSlot(WARD, tokens);
    const client = wsClient(stack.gatewayUrl, tokens.nurse);
    const board = subscribe<BoardEvent>(client, BOARD, { dispenserId: slot.dispenserId });
    const other = wsClient(stack.gatewayUrl, tokens.otherNurse);
    const otherBoard = subscribe<BoardEvent>(other, BOARD, {});
    await settle();

    // First crossing (to 5): the loop opens a RESTOCK of 35. Second (to 0): it grows it to 40.
    await crossTo(slot, 5);
    await until(() => board.results.length >= 1, 20_000, "the restock's CREATED");
    const created = board.results[0]!.requestEvents;
    expect(created).toMatchObject({ type: "CREATED", status: "PENDING", version: 1 });
    const requestId = created.request.id;
    await crossTo(slot, 0);
    await until(() => board.results.length >= 2, 20_000, "the LINES_CHANGED");
    const grown = board.results[1]!.requestEvents;

    // The read model reaches the grown version before any status change brings it: version 2,
    // quantity 40, the creation time the CREATED's, not moved by the lines change.
    const facts = await eventually(
      async () => {
        const row = await readModel(requestId);
        return row && row.version === 2 && row.quantity_requested === 40 ? row : undefined;
      },
      20_000,
      "the read model at version 2",
    );
    expect(facts.status).toBe("PENDING");
    const { rows } = await pool.query<{ occurred_at: string }>(
      `select payload->>'occurredAt' as occurred_at from requests.outbox
        where subject = 'asky.requests.created' and payload->'data'->>'requestId' = $1`,
      [requestId],
    );
    expect(facts.created_at?.toISOString()).toBe(new Date(rows[0]!.occurred_at).toISOString());

    // A status change after it: once it is in, everything before it in the stream was delivered.
    await changeStatus({ id: requestId, version: grown.request.version }, "ACCEPTED", tokens.pharmacist);
    await until(() => board.results.length >= 3, 20_000, "the ACCEPTED");
    await settle(1_000);
    await client.dispose();

    expect(board.errors).toEqual([]);
    const events = board.results.map((result) => result.requestEvents);
    expect(events.every((event) => event.request.id === requestId)).toBe(true);
    expect(events.map((event) => [event.type, event.previousStatus, event.status, event.version])).toEqual([
      ["CREATED", null, "PENDING", 1],
      ["LINES_CHANGED", "PENDING", "PENDING", 2],
      ["STATUS_CHANGED", "PENDING", "ACCEPTED", 3],
    ]);
    expect(grown.request.kind).toBe("RESTOCK");
    expect(grown.request.items).toEqual([{ quantity: 40, item: { id: slot.itemId } }]);

    // Resuming after the CREATED replays the LINES_CHANGED exactly once, then the ACCEPTED.
    const second = wsClient(stack.gatewayUrl, tokens.nurse);
    const resumed = subscribe<BoardEvent>(second, BOARD, { dispenserId: slot.dispenserId, after: created.cursor });
    await until(() => resumed.results.length >= 2, 20_000, "the replayed events");
    await settle(1_000);
    await second.dispose();
    expect(resumed.errors).toEqual([]);
    expect(resumed.results.map((result) => [result.requestEvents.type, result.requestEvents.version])).toEqual([
      ["LINES_CHANGED", 2],
      ["STATUS_CHANGED", 3],
    ]);
    expect(resumed.results[0]!.requestEvents.cursor).toBe(grown.cursor);

    // The pediatrics nurse's board got nothing of it (her subscription was open all along).
    await other.dispose();
    expect(otherBoard.errors).toEqual([]);
    expect(otherBoard.results.filter((result) => result.requestEvents.request.id === requestId)).toEqual([]);
  });
});
