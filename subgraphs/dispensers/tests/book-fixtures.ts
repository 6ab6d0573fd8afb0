/** The controlled substances book and its closing, as a client asks for them through the gateway. */
import { hospitalToday } from "@asky/runtime";
import { createUser, type FreshUser } from "@asky/stack/testing";
import { adjustStock, freshCabinet, inDays } from "./stock-fixtures.js";
import { pharmacist, pool, stockedSlot, witnessToken, type Slot } from "./witness-fixtures.js";

export const BOOK = `query($list: ControlList!, $itemId: ID, $from: DateTime!, $to: DateTime!) {
  controlledBook(list: $list, itemId: $itemId, from: $from, to: $to) {
    list from to
    items {
      item { id name controlList }
      openingBalance closingBalance
      entries {
        id at document movement reason quantity balance lotNumber
        dispenser { id code }
        actor { id fullName }
        witness { id fullName }
      }
    }
    closedPeriods { list month closedBy { id } balances { item { id } balance } }
  }
}`;

export const CLOSE = `mutation($list: ControlList!, $month: String!) {
  closeControlledBookPeriod(list: $list, month: $month) {
    list month startsAt endsAt closedAt closedBy { id fullName } balances { item { id } balance }
  }
}`;

export interface BookEntry {
  id: string;
  at: string;
  document: string;
  movement: "ENTRY" | "EXIT" | "LOSS";
  reason: string;
  quantity: number;
  balance: number;
  lotNumber: string | null;
  dispenser: { id: string; code: string };
  actor: { id: string; fullName: string } | null;
  witness: { id: string; fullName: string } | null;
}

export interface BookSection {
  item: { id: string; name: string; controlList: string };
  openingBalance: number;
  closingBalance: number;
  entries: BookEntry[];
}

export interface Book {
  controlledBook: {
    list: string;
    from: string;
    to: string;
    items: BookSection[];
    closedPeriods: {
      list: string;
      month: string;
      closedBy: { id: string };
      balances: { item: { id: string }; balance: number }[];
    }[];
  };
}

export interface Closure {
  closeControlledBookPeriod: {
    list: string;
    month: string;
    startsAt: string;
    endsAt: string;
    closedBy: { id: string; fullName: string };
    balances: { item: { id: string }; balance: number }[];
  };
}

/** The hospital's current month, `YYYY-MM`. */
export const currentMonth = (): string => hospitalToday().slice(0, 7);

/** A range around now: `backHours` back, `aheadHours` ahead. */
export const around = (backHours = 24, aheadHours = 1) => ({
  from: new Date(Date.now() - backHours * 3_600_000).toISOString(),
  to: new Date(Date.now() + aheadHours * 3_600_000).toISOString(),
});

/** A closing month's first day, `YYYY-MM`, `back` months before the current one. */
export function monthsBack(back: number): string {
  const [year, month] = currentMonth().split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export interface BookedItem {
  witness: FreshUser;
  /** Cabinet 1 and its level of the item. */
  slot: Slot;
  /** Cabinet 2. */
  second: { id: string; code: string };
}

/**
 * A fresh medication of `list` in two cabinets: 10 units of lot L-1 in the first, 5 of lot L-2
 * in the second (note NF-9912), then 3 dispensed (RX-2026-0001) and 2 lost with a witness in
 * the first: 10 in all.
 */
export async function bookedItem(list: string): Promise<BookedItem> {
  const witness = await createUser("PHARMACIST");
  const slot = await stockedSlot(list);
  const second = await freshCabinet();
  const restock = { dispenserId: second.id, itemId: slot.itemId, delta: 5, reason: "RESTOCK", lotNumber: "L-2" };
  await pharmacist.ok(adjustStock, { input: { ...restock, expiresAt: inDays(120), note: "NF-9912" } });
  await pharmacist.ok(adjustStock, {
    input: { dispenserId: slot.dispenserId, itemId: slot.itemId, delta: -3, reason: "DISPENSED", note: "RX-2026-0001" },
  });
  const token = await witnessToken(witness, slot);
  const loss = {
    dispenserId: slot.dispenserId,
    itemId: slot.itemId,
    delta: -2,
    reason: "DAMAGED",
    witnessToken: token,
  };
  await pharmacist.ok(adjustStock, { input: loss });
  return { witness, slot, second };
}

/** Units of the item in every cabinet, read from the database. */
export async function cabinetsHold(itemId: string): Promise<number> {
  const { rows } = await pool.query<{ total: number }>(
    "select coalesce(sum(quantity), 0)::int as total from dispensers.stock_levels where item_id = $1",
    [itemId],
  );
  return rows[0]!.total;
}
