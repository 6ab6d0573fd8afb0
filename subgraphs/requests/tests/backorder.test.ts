/**
 * Backorders (issue 16): dispatching a request with BACKORDERED lines opens exactly one
 * PENDING request for what is owed, even when two dispatches race; a RESTOCK's backorder is
 * the cabinet's one restock the pharmacy can still grow.
 */
import { afterAll, describe, expect, it } from "vitest";
import { custodyView, lots, move, pickedRequest, tryMove } from "./custody-support.js";
import { pick } from "./pick-support.js";
import { adminPool, change, create, dipirona, newCabinet, pharmacist, syringe, tech, tryCreate } from "./support.js";

const pool = adminPool();
afterAll(() => pool.end());

const backordersOf = async (id: string) =>
  (await pool.query<{ id: string }>("select id from requests.requests where backorder_of = $1", [id])).rows;

describe("backorders", () => {
  it("opens one, whichever of two racing dispatches wins", async () => {
    const id = await pickedRequest(
      [{ itemId: dipirona, quantity: 6 }],
      [{ itemId: dipirona, quantity: 4, reasonCode: "BACKORDER", lots: lots(4) }],
    );
    const { version } = await custodyView(id);
    const attempts = await Promise.all(
      [0, 1].map(() => tryMove(tech, { requestId: id, status: "DISPATCHED", expectedVersion: version })),
    );
    expect(attempts.filter((attempt) => attempt.errors === undefined)).toHaveLength(1);
    expect(attempts.flatMap((attempt) => attempt.errors ?? []).map((error) => error.extensions?.code)).toEqual([
      "CONFLICT",
    ]);
    expect(await backordersOf(id)).toHaveLength(1);
    const [backorder] = (await custodyView(id)).backorders;
    expect(backorder).toMatchObject({ status: "PENDING", version: 1, backorderOf: { id } });
    expect(backorder!.items.map((line) => [line.item.id, line.quantityRequested, line.status])).toEqual([
      [dipirona, 2, "OPEN"],
    ]);
  });

  it("owes a line backordered in full, which stays BACKORDERED on receipt", async () => {
    const id = await pickedRequest(
      [{ itemId: dipirona, quantity: 6 }],
      [{ itemId: dipirona, quantity: 0, reasonCode: "BACKORDER" }],
    );
    await move(tech, id, "DISPATCHED");
    await move(tech, id, "DELIVERED");
    const request = await custodyView(id);
    expect(request.items.map((line) => [line.status, line.quantityDispatched, line.quantityReceived])).toEqual([
      ["BACKORDERED", 0, null],
    ]);
    expect(request.backorders.map((backorder) => backorder.items.map((line) => line.quantityRequested))).toEqual([[6]]);
  });

  it("opens none when nothing is owed", async () => {
    const id = await pickedRequest(
      [{ itemId: dipirona, quantity: 6 }],
      [{ itemId: dipirona, quantity: 4, reasonCode: "STOCKOUT", lots: lots(4) }],
    );
    await move(tech, id, "DISPATCHED");
    expect((await custodyView(id)).backorders).toEqual([]);
  });

  it("makes a RESTOCK's backorder the cabinet's open restock", async () => {
    const cabinet = await newCabinet();
    const restock = await create(pharmacist, {
      kind: "RESTOCK",
      dispenserId: cabinet,
      items: [{ itemId: syringe, quantity: 10 }],
    });
    let version = restock.version;
    for (const status of ["ACCEPTED", "PREPARING"]) {
      version = (await change(tech, { requestId: restock.id, status, expectedVersion: version })).version;
    }
    await pick(tech, {
      requestId: restock.id,
      expectedVersion: version,
      lines: [{ itemId: syringe, quantity: 7, reasonCode: "BACKORDER" }],
    });
    await move(tech, restock.id, "DISPATCHED");
    const [backorder] = (await custodyView(restock.id)).backorders;
    expect(backorder!.items.map((line) => line.quantityRequested)).toEqual([3]);
    // While the first is on its way, the backorder is the one restock a second one would duplicate.
    const second = await tryCreate(pharmacist, {
      kind: "RESTOCK",
      dispenserId: cabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    expect(second.errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "RESTOCK_ALREADY_OPEN",
      requestId: backorder!.id,
    });
  });
});
