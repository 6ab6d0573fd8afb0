import { afterAll, describe, expect, it } from "vitest";
import { goodUntil, lineOf, pick, requestIn } from "./pick-support.js";
import {
  adminPool,
  dipirona,
  eventsOf,
  eventually,
  idOf,
  itemId,
  paracetamol,
  pharmacist,
  readStream,
  syringe,
  tech,
} from "./support.js";

const pool = adminPool();
afterAll(() => pool.end());

const gauze = itemId("MAT-GAZE-ESTERIL");

async function published(requestId: string, version: number): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from requests.outbox
      where subject = 'asky.requests.pick_recorded' and payload->'data'->>'requestId' = $1
        and (payload->'data'->>'version')::int = $2 and published_at is not null`,
    [requestId, version],
  );
  return rows[0]!.n === 1;
}

describe("recordPick", () => {
  it("records a full pick in lots, first-expiring first, with a history entry and one event", async () => {
    const request = await requestIn([
      { itemId: dipirona, quantity: 10 },
      { itemId: paracetamol, quantity: 4 },
    ]);
    const input = {
      requestId: request.id,
      expectedVersion: request.version,
      lines: [
        {
          itemId: dipirona,
          quantity: 10,
          lots: [
            { lotNumber: "DIP-B", expiresAt: "2031-06-30", quantity: 4 },
            { lotNumber: "DIP-A", expiresAt: "2030-01-31", quantity: 6 },
          ],
        },
        { itemId: paracetamol, quantity: 4, lots: [{ lotNumber: "PAR-1", expiresAt: goodUntil, quantity: 4 }] },
      ],
    };
    const picked = await pick(tech, input);
    expect(picked).toMatchObject({ status: "PREPARING", version: request.version + 1 });
    expect(lineOf(picked, dipirona)).toMatchObject({
      status: "PICKED",
      quantityRequested: 10,
      quantity: 10,
      quantityDispatched: 10,
      quantityReceived: null,
      reasonCode: null,
      substitutedBy: null,
      lots: [
        { lotNumber: "DIP-A", expiresAt: "2030-01-31", quantity: 6 },
        { lotNumber: "DIP-B", expiresAt: "2031-06-30", quantity: 4 },
      ],
    });
    expect(lineOf(picked, paracetamol)).toMatchObject({ status: "PICKED", quantityDispatched: 4 });
    expect(picked.history.at(-1)).toEqual({
      event: "PICK_RECORDED",
      from: "PREPARING",
      to: "PREPARING",
      by: { id: idOf(tech) },
    });
    expect(picked.history.slice(0, -1).every((entry) => entry.event === "STATUS_CHANGED")).toBe(true);

    // The same pick again replaces the first: the same lines, a new version and entry.
    const again = await pick(pharmacist, { ...input, expectedVersion: picked.version });
    expect(again.items).toEqual(picked.items);
    expect(again.version).toBe(picked.version + 1);
    expect(again.history).toHaveLength(picked.history.length + 1);

    await eventually(() => published(request.id, again.version), 15_000, "pick_recorded publication");
    const events = eventsOf(await readStream("asky.requests.pick_recorded"), request.id);
    expect(events.map((event) => event.envelope.data.version)).toEqual([picked.version, again.version]);
    expect(events[0]!.msgId).toBe(events[0]!.envelope.id);
    expect(events[0]!.envelope.data).toMatchObject({
      requestId: request.id,
      actorId: idOf(tech),
      lines: expect.arrayContaining([
        expect.objectContaining({
          lineId: lineOf(picked, dipirona).id,
          status: "PICKED",
          quantityRequested: 10,
          quantityDispatched: 10,
          lots: [
            { lotNumber: "DIP-A", expiresAt: "2030-01-31", quantity: 6 },
            { lotNumber: "DIP-B", expiresAt: "2031-06-30", quantity: 4 },
          ],
        }),
      ]),
    });
  });

  it("records short picks by their reason, keeps the notes out of the event, and leaves lines not named OPEN", async () => {
    const request = await requestIn(
      [
        { itemId: syringe, quantity: 10 },
        { itemId: gauze, quantity: 5 },
        { itemId: itemId("MAT-LUVA-PROC-M"), quantity: 2 },
        { itemId: itemId("MAT-SERINGA-10ML"), quantity: 3 },
      ],
      "PREPARING",
      "MATERIAL",
    );
    const picked = await pick(tech, {
      requestId: request.id,
      expectedVersion: request.version,
      lines: [
        { itemId: syringe, quantity: 6, reasonCode: "STOCKOUT" },
        { itemId: gauze, quantity: 0, reasonCode: "BACKORDER" },
        { itemId: itemId("MAT-LUVA-PROC-M"), quantity: 0, reasonCode: "OTHER", note: "Leito 7 — caixa violada" },
      ],
    });
    expect(lineOf(picked, syringe)).toMatchObject({
      status: "PARTIAL",
      quantityDispatched: 6,
      reasonCode: "STOCKOUT",
      lots: [],
    });
    expect(lineOf(picked, gauze)).toMatchObject({
      status: "BACKORDERED",
      quantityDispatched: 0,
      reasonCode: "BACKORDER",
    });
    expect(lineOf(picked, itemId("MAT-LUVA-PROC-M"))).toMatchObject({ status: "CANCELLED", reasonCode: "OTHER" });
    expect(lineOf(picked, itemId("MAT-SERINGA-10ML"))).toMatchObject({ status: "OPEN", quantityDispatched: null });

    const { rows } = await pool.query<{ payload: unknown }>(
      `select payload from requests.outbox where subject = 'asky.requests.pick_recorded' and payload->'data'->>'requestId' = $1`,
      [request.id],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0]!.payload)).not.toContain("violada");
  });
});
