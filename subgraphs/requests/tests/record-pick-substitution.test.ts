import { afterAll, describe, expect, it } from "vitest";
import { goodUntil, lineOf, pick, requestIn, view } from "./pick-support.js";
import { adminPool, change, dipirona, paracetamol, pharmacist, tech } from "./support.js";

const pool = adminPool();
afterAll(() => pool.end());

describe("recordPick with a substitute", () => {
  it("substitutes a medication by another, and a re-pick without it removes the substitute line", async () => {
    const request = await requestIn([{ itemId: dipirona, quantity: 8 }]);
    const lots = [{ lotNumber: "PAR-9", expiresAt: goodUntil, quantity: 5 }];
    const picked = await pick(pharmacist, {
      requestId: request.id,
      expectedVersion: request.version,
      lines: [{ itemId: dipirona, quantity: 5, substituteItemId: paracetamol, lots }],
    });
    const original = lineOf(picked, dipirona);
    expect(original).toMatchObject({
      status: "SUBSTITUTED",
      reasonCode: "SUBSTITUTION",
      quantityDispatched: 0,
      lots: [],
    });
    expect(original.substitutedBy).toMatchObject({
      item: { id: paracetamol },
      status: "PICKED",
      quantityRequested: 5,
      quantityDispatched: 5,
      lots,
    });
    expect(lineOf(picked, paracetamol).id).toBe(original.substitutedBy!.id);

    // The same substitution again keeps its line: clients holding its id still find it.
    const same = await pick(pharmacist, {
      requestId: request.id,
      expectedVersion: picked.version,
      lines: [{ itemId: dipirona, quantity: 5, substituteItemId: paracetamol, lots }],
    });
    expect(same.items).toEqual(picked.items);

    const repicked = await pick(pharmacist, {
      requestId: request.id,
      expectedVersion: same.version,
      lines: [{ itemId: dipirona, quantity: 8, lots: [{ lotNumber: "DIP-7", expiresAt: goodUntil, quantity: 8 }] }],
    });
    expect(repicked.items).toHaveLength(1);
    expect(lineOf(repicked, dipirona)).toMatchObject({ status: "PICKED", substitutedBy: null, quantityDispatched: 8 });
    expect((await view(request.id)).items).toEqual(repicked.items);
  });

  it("dispatches what was picked: the status_changed event carries the substitute, not the original", async () => {
    const request = await requestIn([{ itemId: dipirona, quantity: 8 }]);
    const picked = await pick(tech, {
      requestId: request.id,
      expectedVersion: request.version,
      lines: [
        {
          itemId: dipirona,
          quantity: 5,
          substituteItemId: paracetamol,
          lots: [{ lotNumber: "P", expiresAt: goodUntil, quantity: 5 }],
        },
      ],
    });
    const dispatched = await change(tech, {
      requestId: request.id,
      status: "DISPATCHED",
      expectedVersion: picked.version,
    });
    const { rows } = await pool.query<{ items: unknown }>(
      `select payload->'data'->'items' as items from requests.outbox
        where subject = 'asky.requests.status_changed' and payload->'data'->>'requestId' = $1
          and (payload->'data'->>'version')::int = $2`,
      [request.id, dispatched.version],
    );
    // Since request events carry lots: the substitute's, and nothing received yet.
    const lots = [{ lotNumber: "P", expiresAt: goodUntil, quantity: 5 }];
    expect(rows.map((row) => row.items)).toEqual([
      [{ itemId: paracetamol, itemKind: "MEDICATION", quantity: 5, quantityReceived: null, lots }],
    ]);
  });
});
