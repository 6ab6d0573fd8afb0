import type { CsvCell } from "./csv.js";

/** The book as the CSV route asks the gateway for it: the same field the API serves. */
export const CONTROLLED_BOOK_QUERY = `query ControlledBookCsv($list: ControlList!, $itemId: ID, $from: DateTime!, $to: DateTime!) {
  controlledBook(list: $list, itemId: $itemId, from: $from, to: $to) {
    items {
      item { id code name }
      openingBalance
      closingBalance
      entries {
        at document movement reason quantity balance lotNumber
        dispenser { code }
        actor { id fullName }
        witness { id fullName }
      }
    }
  }
}`;

interface Person {
  id: string;
  fullName: string | null;
}

export interface BookData {
  controlledBook: {
    items: {
      item: { id: string; code: string; name: string };
      openingBalance: number;
      closingBalance: number;
      entries: {
        at: string;
        document: string;
        movement: string;
        reason: string;
        quantity: number;
        balance: number;
        lotNumber: string | null;
        dispenser: { code: string };
        actor: Person | null;
        witness: Person | null;
      }[];
    }[];
  };
}

export const CSV_HEADER: readonly CsvCell[] = [
  "item_code",
  "item_name",
  "at",
  "document",
  "cabinet",
  "movement",
  "reason",
  "quantity",
  "balance",
  "lot_number",
  "actor",
  "witness",
];

const person = (who: Person | null): string | null => (who === null ? null : (who.fullName ?? who.id));

/**
 * One row per book entry, each item's section framed by an OPENING row (the balance at `from`)
 * and a CLOSING row (the balance at `to`), as a printed book carries its balances forward.
 */
export function* bookRows(data: BookData): Generator<readonly CsvCell[]> {
  for (const section of data.controlledBook.items) {
    const { code, name } = section.item;
    yield [code, name, null, null, null, "OPENING", null, null, section.openingBalance, null, null, null];
    for (const entry of section.entries) {
      yield [
        code,
        name,
        entry.at,
        entry.document,
        entry.dispenser.code,
        entry.movement,
        entry.reason,
        entry.quantity,
        entry.balance,
        entry.lotNumber,
        person(entry.actor),
        person(entry.witness),
      ];
    }
    yield [code, name, null, null, null, "CLOSING", null, null, section.closingBalance, null, null, null];
  }
}
