/**
 * Closing a month of the controlled substances book (issue 16) through the real gateway: the
 * closure's balances, its refusals, the ledger then refusing every writer (the API, a raw SQL
 * writer, a delivered restock event, a change of list), a close racing adjustments, and a
 * book opening after a closed month carrying its balances forward.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { requestStatusChanged, SYSTEM_USER_ID } from "@asky/contracts";
import { asGateway, eventually, testStack, type FreshUser } from "@asky/stack/testing";
import {
  BOOK,
  CLOSE,
  around,
  bookedItem,
  cabinetsHold,
  currentMonth,
  monthsBack,
  type Book,
  type Closure,
} from "./book-fixtures.js";
import { adjustStock, freshItem } from "./stock-fixtures.js";
import {
  actor,
  pharmacist,
  pool,
  refusal,
  stateOf,
  stockedSlot,
  usesOf,
  witnessToken,
  type Slot,
} from "./witness-fixtures.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** This run's own copy of the services' log (tests/global-setup.ts). */
    serviceLogFile: string;
  }
}

// The lists this file closes (C2 this month, B2 the month before); no other test moves their stock.
const LIST = "C2";
const nurse = asGateway("nurse@asky.dev");
const tech = asGateway("tech@asky.dev");
const admin = asGateway("admin@asky.dev");

let witness: FreshUser;
let slot: Slot;
let second: { id: string; code: string };
beforeAll(async () => {
  ({ witness, slot, second } = await bookedItem(LIST));
});
afterAll(() => pool.end());

describe("closeControlledBookPeriod", () => {
  const close = (month: string, who = pharmacist, list = LIST) => who.call<Closure>(CLOSE, { list, month });

  it("refuses other roles, malformed and future months, and changes nothing", async () => {
    expect(refusal(await close(currentMonth(), admin)).code).toBe("FORBIDDEN");
    expect(refusal(await close(currentMonth(), tech)).code).toBe("FORBIDDEN");
    expect(refusal(await close(currentMonth(), nurse)).code).toBe("FORBIDDEN");
    for (const month of ["2026-13", "2026-00", "26-01", "", "2026-1", "1999-12", "2026-01-01", "x".repeat(10_000)]) {
      expect(refusal(await close(month)), month.slice(0, 12)).toMatchObject({
        code: "BAD_USER_INPUT",
        reason: "INVALID_MONTH",
      });
    }
    const next = monthsBack(-1);
    expect(refusal(await close(next))).toMatchObject({ code: "BAD_USER_INPUT", reason: "FUTURE_PERIOD" });
    const { rows } = await pool.query("select 1 from dispensers.controlled_book_closures where control_list = $1", [
      LIST,
    ]);
    expect(rows).toHaveLength(0);
  });

  it("closes the month with the balances adjustments racing it left, then refuses every change in it", async () => {
    // Five dispensings race the close: each lands before it (in its balances) or is refused.
    const racing = Array.from({ length: 5 }, () =>
      pharmacist.call(adjustStock, {
        input: { dispenserId: second.id, itemId: slot.itemId, delta: -1, reason: "DISPENSED" },
      }),
    );
    const [closed, ...raced] = await Promise.all([close(currentMonth()), ...racing]);
    expect(closed.errors).toBeUndefined();
    const closure = closed.data!.closeControlledBookPeriod;
    expect(closure).toMatchObject({ list: LIST, month: currentMonth(), closedBy: { id: actor.id } });
    for (const result of raced) {
      if (result.errors) expect(refusal(result)).toMatchObject({ code: "CONFLICT", reason: "PERIOD_CLOSED" });
    }
    const held = await cabinetsHold(slot.itemId);
    expect(closure.balances.find((b) => b.item.id === slot.itemId)?.balance).toBe(held);

    // Closing it again is refused and adds nothing.
    expect(refusal(await close(currentMonth()))).toMatchObject({ code: "CONFLICT", reason: "PERIOD_ALREADY_CLOSED" });

    // Any movement of an item of the list now: refused, nothing changed (stock, ledger, witness token).
    const before = { state: await stateOf(slot), uses: await usesOf(witness.id) };
    const token = await witnessToken(witness, slot);
    const periodClosed = { code: "CONFLICT", reason: "PERIOD_CLOSED", field: undefined };
    for (const input of [
      { delta: -1, reason: "DISPENSED" },
      { delta: 2, reason: "RESTOCK", lotNumber: "L-1" },
      { delta: -1, reason: "DAMAGED", witnessToken: token },
    ]) {
      const answer = await pharmacist.call(adjustStock, {
        input: { dispenserId: slot.dispenserId, itemId: slot.itemId, ...input },
      });
      expect(refusal(answer)).toEqual(periodClosed);
    }
    expect({ state: await stateOf(slot), uses: await usesOf(witness.id) }).toEqual(before);

    // Items of other lists, and uncontrolled ones, still move.
    const open = await stockedSlot(null);
    const dispensed = await pharmacist.call(adjustStock, {
      input: { dispenserId: open.dispenserId, itemId: open.itemId, delta: -1, reason: "DISPENSED" },
    });
    expect(dispensed.errors).toBeUndefined();

    // The book shows the closure.
    const { controlledBook } = await pharmacist.ok<Book>(BOOK, { list: LIST, itemId: slot.itemId, ...around() });
    expect(controlledBook.closedPeriods).toEqual([
      expect.objectContaining({ list: LIST, month: currentMonth(), closedBy: { id: actor.id } }),
    ]);
    expect(controlledBook.items[0]!.closingBalance).toBe(held);
  });

  it("guards the ledger in the database too: a raw insert, edit or delete in the closed month is refused", async () => {
    const ledger = await stateOf(slot);
    const { rows } = await pool.query<{ id: string }>(
      "select id from dispensers.stock_movements where stock_level_id = $1 order by seq limit 1",
      [slot.levelId],
    );
    const rowId = rows[0]!.id;
    const refused = (text: string, values: unknown[]) =>
      pool.query(text, values).then(
        () => "accepted",
        (error: { code?: string }) => error.code,
      );
    expect(
      await refused(
        `insert into dispensers.stock_movements (stock_level_id, reason, delta, quantity_before, quantity_after)
         values ($1, 'OTHER', 1, 0, 1)`,
        [slot.levelId],
      ),
    ).toBe("AS344");
    expect(await refused("update dispensers.stock_movements set note = 'rewritten' where id = $1", [rowId])).toBe(
      "AS344",
    );
    expect(await refused("delete from dispensers.stock_movements where id = $1", [rowId])).toBe("AS344");
    expect(await stateOf(slot)).toEqual(ledger);
  });

  it("refuses moving an item with entries in the closed month to another list", async () => {
    const UPDATE = `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { controlList } }`;
    const answer = await pharmacist.call(UPDATE, { id: slot.itemId, input: { controlList: "C3" } });
    expect(refusal(answer)).toMatchObject({ code: "CONFLICT", reason: "PERIOD_CLOSED" });
    const { rows } = await pool.query("select control_list from dispensers.catalog_items where id = $1", [slot.itemId]);
    expect(rows[0]).toEqual({ control_list: LIST });
  });

  it("holds back a delivered restock of the list's items, logs it, and still applies the rest", async () => {
    const material = await freshItem();
    const before = await stateOf(slot);
    const eventId = randomUUID();
    const requestId = randomUUID();
    const nc = await connect({ servers: testStack().natsUrl });
    await jetstream(nc).publish(
      requestStatusChanged.subject,
      JSON.stringify({
        id: eventId,
        type: "requests.status_changed",
        subject: "asky.requests.status_changed",
        occurredAt: new Date().toISOString(),
        version: 1,
        data: {
          requestId,
          number: "REQ-CLOSEDBOOK",
          kind: "RESTOCK",
          priority: "ROUTINE",
          ward: "CLINICA-CIRURGICA",
          dispenserId: slot.dispenserId,
          requesterId: SYSTEM_USER_ID,
          assigneeId: actor.id,
          status: "DELIVERED",
          previousStatus: "DISPATCHED",
          version: 5,
          actorId: actor.id,
          reasonCode: null,
          reason: null,
          items: [
            { itemId: slot.itemId, itemKind: "MEDICATION", quantity: 4, lots: [] },
            { itemId: material, itemKind: "MATERIAL", quantity: 6, lots: [] },
          ],
        },
      }),
    );
    await nc.drain();
    await eventually(
      async () => {
        const { rows } = await pool.query(
          "select 1 from dispensers.processed_events where consumer = 'dispensers-restock-delivered' and event_id = $1",
          [eventId],
        );
        return rows.length > 0 ? true : null;
      },
      20_000,
      "the delivered restock processed",
    );
    expect(await stateOf(slot)).toEqual(before);
    const log = await readFile(inject("serviceLogFile"), "utf8");
    expect(log).toContain("REQ-CLOSEDBOOK");
    expect(log).toContain("closed book period");
    // The uncontrolled item of the same delivery went into the cabinet.
    const { rows } = await pool.query<{ quantity: number }>(
      "select quantity from dispensers.stock_levels where dispenser_id = $1 and item_id = $2",
      [slot.dispenserId, material],
    );
    expect(rows[0]?.quantity).toBe(6);
  });
});

describe("a book opening after a closed month", () => {
  it("carries the closure's balances forward and agrees with the whole history", async () => {
    // A month before this one on another list: ledger rows of a fresh item written back then
    // (as by SQL, the API only writes now), closed through the API, then a movement now.
    const list = "B2";
    const previous = monthsBack(1);
    const older = await stockedSlot(null);
    await pharmacist.ok(
      `mutation($id: ID!, $list: ControlList) { updateMedication(id: $id, input: { controlList: $list }) { id } }`,
      {
        id: older.itemId,
        list,
      },
    );
    const back = new Date(`${previous}-10T15:00:00Z`);
    await pool.query(`update dispensers.stock_movements set at = $2 where stock_level_id = $1`, [older.levelId, back]);
    const { data } = await pharmacist.call<Closure>(CLOSE, { list, month: previous });
    expect(data?.closeControlledBookPeriod.balances).toContainEqual({ item: { id: older.itemId }, balance: 10 });
    // Before the closed month's end nothing can be written any more, even by SQL.
    await expect(
      pool.query(
        `insert into dispensers.stock_movements (stock_level_id, at, reason, delta, quantity_before, quantity_after)
         values ($1, $2, 'OTHER', 1, 10, 11)`,
        [older.levelId, back],
      ),
    ).rejects.toMatchObject({ code: "AS344" });
    await pharmacist.ok(adjustStock, {
      input: { dispenserId: older.dispenserId, itemId: older.itemId, delta: -4, reason: "DISPENSED" },
    });
    const to = around().to;
    const startOfMonth = data!.closeControlledBookPeriod.endsAt;
    const sinceClosure = await pharmacist.ok<Book>(BOOK, { list, itemId: older.itemId, from: startOfMonth, to });
    const whole = await pharmacist.ok<Book>(BOOK, {
      list,
      itemId: older.itemId,
      from: new Date(back.getTime() - 86_400_000).toISOString(),
      to,
    });
    expect(sinceClosure.controlledBook.items[0]).toMatchObject({ openingBalance: 10, closingBalance: 6 });
    expect(sinceClosure.controlledBook.items[0]!.entries.map((e) => [e.movement, e.quantity, e.balance])).toEqual([
      ["EXIT", 4, 6],
    ]);
    expect(whole.controlledBook.items[0]).toMatchObject({ openingBalance: 0, closingBalance: 6 });
    expect(whole.controlledBook.items[0]!.entries.map((e) => e.balance)).toEqual([10, 6]);
    expect(await cabinetsHold(older.itemId)).toBe(6);
  });
});
