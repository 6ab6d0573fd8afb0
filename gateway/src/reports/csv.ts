/**
 * CSV as RFC 4180 has it (CRLF line ends, quotes around cells holding a comma, quote or line
 * break, quotes doubled), and safe to open in a spreadsheet: a text cell starting with = + - @
 * (or a tab or carriage return, which some spreadsheets strip first) is a formula there, so it
 * is prefixed with an apostrophe and shown as text. Numbers are written as they are.
 */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: readonly CsvCell[]): string => `${cells.map(csvCell).join(",")}\r\n`;
