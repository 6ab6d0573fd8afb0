/** The controlled substances book as the acceptance test reads it: the query, its shape, and its CSV export. */
import { expect, inject } from "vitest";

export const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity } }`;
export const BOOK = `query($list: ControlList!, $itemId: ID, $from: DateTime!, $to: DateTime!) {
  controlledBook(list: $list, itemId: $itemId, from: $from, to: $to) {
    items {
      item { id code name }
      openingBalance closingBalance
      entries {
        at document movement reason quantity balance lotNumber
        dispenser { id code }
        actor { id fullName }
        witness { id fullName }
      }
    }
  }
}`;

export interface Entry {
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
export interface Section {
  item: { id: string; code: string; name: string };
  openingBalance: number;
  closingBalance: number;
  entries: Entry[];
}
export interface Book {
  controlledBook: { items: Section[] };
}

/** RFC 4180, as a spreadsheet reads it: quoted cells may hold commas, quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (quoted && char === '"' && next === '"') {
      cell += '"';
      i += 2;
      continue;
    }
    if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && char === "\r" && next === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else {
      cell += char;
    }
    i += 1;
  }
  expect(cell === "" && row.length === 0, "the CSV ends with CRLF").toBe(true);
  return rows;
}

export const csvUrl = (params: Record<string, string>) => {
  const url = new URL("/reports/controlled-book.csv", inject("gatewayUrl"));
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
};
export const getCsv = async (params: Record<string, string>, token?: string) =>
  fetch(csvUrl(params), { headers: token ? { authorization: `Bearer ${token}` } : {} });
