/**
 * confirmReceipt (issue 16): what the ward received of a DISPATCHED request, line by line.
 * Hostile and malformed inputs are coded refusals that change nothing; lines not named arrive
 * in full; lines that sent nothing stay as they are.
 */
import { describe, expect, it } from "vitest";
import type { DemoAccount } from "@asky/stack/testing";
import {
  custodyView,
  lots,
  move,
  pickedRequest,
  refused,
  tryMove,
  tryReceive,
  witnessToken,
} from "./custody-support.js";
import { requestIn } from "./pick-support.js";
import { dipirona, idOf, nurse, paracetamol, pedsNurse, syringe, tech } from "./support.js";

const someItem = "6f1c1a44-2a0c-4c0e-9d0a-5b1f0c3e8d21";

describe("confirmReceipt", () => {
  it("refuses hostile and malformed receipts, changing nothing", async () => {
    const id = await pickedRequest([{ itemId: syringe, quantity: 4 }], [{ itemId: syringe, quantity: 4 }], "MATERIAL");
    await move(tech, id, "DISPATCHED");
    const receive =
      (extra: Record<string, unknown>, account: DemoAccount = nurse) =>
      (version: number) =>
        tryReceive(account, { requestId: id, expectedVersion: version, ...extra });
    const line = (quantityReceived: unknown, note?: string) => ({ itemId: syringe, quantityReceived, note });

    await refused(id, receive({ lines: [{ itemId: someItem, quantityReceived: 1 }] }), {
      code: "BAD_USER_INPUT",
      field: "lines[0].itemId",
    });
    await refused(id, receive({ lines: [line(5, "mais do que saiu")] }), {
      code: "BAD_USER_INPUT",
      field: "lines[0].quantityReceived",
    });
    await refused(id, receive({ lines: [line(-1, "negativo")] }), { code: "BAD_USER_INPUT" });
    await refused(id, receive({ lines: [line(3)] }), { code: "BAD_USER_INPUT", field: "lines[0].note" });
    await refused(id, receive({ lines: [line(3, "x"), line(2, "y")] }), {
      code: "BAD_USER_INPUT",
      field: "lines[1].itemId",
    });
    await refused(id, receive({ lines: Array.from({ length: 51 }, () => line(4)) }), {
      code: "BAD_USER_INPUT",
      field: "lines",
    });
    await refused(id, receive({ lines: [line(3, "x".repeat(1_001))] }), {
      code: "BAD_USER_INPUT",
      field: "lines[0].note",
    });
    await refused(id, receive({ witnessToken: "x".repeat(3_000) }), { code: "BAD_USER_INPUT", field: "witnessToken" });
    await refused(id, receive({ witnessToken: await witnessToken(nurse, id, "RECEIPT") }), {
      code: "BAD_USER_INPUT",
      reason: "WITNESS_NOT_NEEDED",
    });
    await refused(id, (version) => tryReceive(nurse, { requestId: "not-a-uuid", expectedVersion: version }), {
      code: "BAD_USER_INPUT",
    });
    await refused(id, (version) => tryReceive(nurse, { requestId: id, expectedVersion: version - 1 }), {
      code: "CONFLICT",
      reason: "STALE_VERSION",
    });
    // Outside her ward the request does not exist for a nurse.
    await refused(id, receive({}, pedsNurse), { code: "NOT_FOUND" });

    await tryReceive(nurse, {
      requestId: id,
      expectedVersion: (await custodyView(id)).version,
      lines: [line(3, "Uma embalagem rasgada.")],
    });
    const received = await custodyView(id);
    expect(received.status).toBe("DELIVERED");
    expect(received.items).toMatchObject([
      { status: "DELIVERED", quantityDispatched: 4, quantityReceived: 3, receiptNote: "Uma embalagem rasgada." },
    ]);
    expect(received.history.at(-1)).toMatchObject({ to: "DELIVERED", by: { id: idOf(nurse) }, witness: null });
  });

  it("is for DISPATCHED requests only, and leaves lines that sent nothing as they are", async () => {
    const preparing = await requestIn([{ itemId: dipirona, quantity: 2 }]);
    await refused(preparing.id, (version) => tryReceive(nurse, { requestId: preparing.id, expectedVersion: version }), {
      code: "CONFLICT",
      reason: "ILLEGAL_TRANSITION",
    });

    const id = await pickedRequest(
      [
        { itemId: dipirona, quantity: 4 },
        { itemId: paracetamol, quantity: 3 },
      ],
      [
        { itemId: dipirona, quantity: 4, lots: lots(4) },
        { itemId: paracetamol, quantity: 0, reasonCode: "STOCKOUT" },
      ],
    );
    await move(tech, id, "DISPATCHED");
    await refused(
      id,
      (version) =>
        tryReceive(nurse, {
          requestId: id,
          expectedVersion: version,
          lines: [{ itemId: paracetamol, quantityReceived: 0 }],
        }),
      {
        code: "BAD_USER_INPUT",
        reason: "NOTHING_DISPATCHED",
      },
    );
    // A plain move to DELIVERED is a receipt in full.
    await move(nurse, id, "DELIVERED");
    const lines = (await custodyView(id)).items.map((line) => [
      line.status,
      line.quantityDispatched,
      line.quantityReceived,
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ["DELIVERED", 4, 4],
        ["CANCELLED", 0, null],
      ]),
    );
    expect(
      await tryMove(nurse, { requestId: id, status: "DELIVERED", expectedVersion: (await custodyView(id)).version }),
    ).toMatchObject({
      errors: [{ extensions: { code: "CONFLICT" } }],
    });
  });
});
