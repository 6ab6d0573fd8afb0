/** The controlled substances book and its closing, as a client asks for them through the gateway. */
import { hospitalToday } from "@asky/runtime";

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
