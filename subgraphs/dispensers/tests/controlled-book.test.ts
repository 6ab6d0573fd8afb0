/**
 * The controlled substances book (issue 16) through the real gateway: hospital-wide balances
 * per item over two cabinets, the mapping of ledger reasons to entries, exits and losses, who
 * may read it and what ranges it refuses.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asGateway } from "@asky/stack/testing";
import { BOOK, around, bookedItem, cabinetsHold, type Book, type BookedItem } from "./book-fixtures.js";
import { actor, pharmacist, pool, refusal, stockedSlot } from "./witness-fixtures.js";

// This file only reads; book-closing.test.ts closes other lists.
const LIST = "C3";
const nurse = asGateway("nurse@asky.dev");
const tech = asGateway("tech@asky.dev");
const admin = asGateway("admin@asky.dev");

let booked: BookedItem;
beforeAll(async () => {
  booked = await bookedItem(LIST);
});
afterAll(() => pool.end());

const book = (variables: Record<string, unknown>, who = pharmacist) =>
  who.call<Book>(BOOK, { list: LIST, itemId: booked.slot.itemId, ...around(), ...variables });

describe("controlledBook", () => {
  it("lists every cabinet's movements of an item in order, with running balances that end at the stock", async () => {
    const { controlledBook } = await pharmacist.ok<Book>(BOOK, { list: LIST, itemId: booked.slot.itemId, ...around() });
    expect(controlledBook.items).toHaveLength(1);
    const [section] = controlledBook.items;
    expect(section!.openingBalance).toBe(0);
    const lines = section!.entries.map((e) => [e.movement, e.reason, e.quantity, e.balance, e.lotNumber, e.document]);
    expect(lines).toEqual([
      ["ENTRY", "RESTOCK", 10, 10, "L-1", expect.stringMatching(/^MOV-\d{6,}$/)],
      ["ENTRY", "RESTOCK", 5, 15, "L-2", "NF-9912"],
      ["EXIT", "DISPENSED", 3, 12, "L-1", "RX-2026-0001"],
      ["LOSS", "DAMAGED", 2, 10, "L-1", expect.stringMatching(/^MOV-\d{6,}$/)],
    ]);
    expect(section!.entries.map((e) => e.dispenser.id)).toEqual([
      booked.slot.dispenserId,
      booked.second.id,
      booked.slot.dispenserId,
      booked.slot.dispenserId,
    ]);
    const times = section!.entries.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(section!.closingBalance).toBe(10);
    expect(await cabinetsHold(booked.slot.itemId)).toBe(10);
    // actor and witness are users resolved by the users service through the gateway.
    const loss = section!.entries.at(-1)!;
    expect(loss.actor).toEqual({ id: actor.id, fullName: expect.any(String) });
    expect(loss.witness).toEqual({ id: booked.witness.id, fullName: "Pessoa de Teste" });
    expect(section!.entries[0]!.witness).toBeNull();
  });

  it("opens a later range at the balance carried from before it", async () => {
    const all = (await pharmacist.ok<Book>(BOOK, { list: LIST, itemId: booked.slot.itemId, ...around() }))
      .controlledBook;
    const third = all.items[0]!.entries[2]!;
    const { controlledBook } = await pharmacist.ok<Book>(BOOK, {
      list: LIST,
      itemId: booked.slot.itemId,
      from: third.at,
      to: around().to,
    });
    expect(controlledBook.items[0]).toMatchObject({ openingBalance: 15, closingBalance: 10 });
    expect(controlledBook.items[0]!.entries.map((e) => e.balance)).toEqual([12, 10]);
  });

  it("without itemId holds every item of the list that moved, and none of other lists", async () => {
    const other = await stockedSlot("A3");
    const { controlledBook } = await pharmacist.ok<Book>(BOOK, { list: LIST, ...around() });
    const ids = controlledBook.items.map((section) => section.item.id);
    expect(ids).toContain(booked.slot.itemId);
    expect(ids).not.toContain(other.itemId);
    expect(controlledBook.items.every((section) => section.item.controlList === LIST)).toBe(true);
  });

  it("is refused to nurses and technicians, and read by administrators", async () => {
    expect(refusal(await book({}, nurse)).code).toBe("FORBIDDEN");
    expect(refusal(await book({}, tech)).code).toBe("FORBIDDEN");
    expect((await book({}, admin)).errors).toBeUndefined();
  });

  it("refuses backward, future, overlong and malformed ranges and foreign items with coded errors", async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(now + ms).toISOString();
    const day = 86_400_000;
    expect(refusal(await book({ from: iso(0), to: iso(-day) }))).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "INVALID_RANGE",
    });
    expect(refusal(await book({ from: iso(day), to: iso(2 * day) }))).toMatchObject({ reason: "INVALID_RANGE" });
    expect(refusal(await book({ from: iso(-400 * day), to: iso(0) }))).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "RANGE_TOO_LONG",
    });
    for (const from of ["yesterday", "2026-01-01", "2026-01-01T00:00:00", "9".repeat(5000)]) {
      expect(refusal(await book({ from })).code, from.slice(0, 20)).toBe("BAD_USER_INPUT");
    }
    expect(refusal(await book({ list: "Z9" })).code).toBe("BAD_USER_INPUT");
    expect(refusal(await book({ itemId: randomUUID() })).code).toBe("NOT_FOUND");
    expect(refusal(await book({ itemId: "not-a-uuid" })).code).toBe("NOT_FOUND");
    expect(refusal(await book({ list: "A1" })).code).toBe("NOT_FOUND");
  });
});
