import { textFault } from "./validation/text.js";

/**
 * Reads the sort value of a decoded cursor as what the connection sorts on, or null when
 * it is not one. Each connection names its decoder, so a cursor of another connection, or
 * one a client edited, is refused before its value meets a SQL comparison.
 */
export type SortKeyDecoder<TSort> = (value: unknown) => TSort | null;

/** Longer than any name or code a validated write can store. */
export const MAX_TEXT_SORT_KEY = 200;

/** A text column (names, codes): bounded, and holding nothing a validated write would refuse. */
export const textSortKey: SortKeyDecoder<string> = (value) =>
  typeof value === "string" && value.length <= MAX_TEXT_SORT_KEY && textFault(value) === null ? value : null;

// What the encoders write: Date#toISOString (milliseconds) or Postgres' to_char (microseconds).
const utcTimestamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/;

/**
 * A timestamptz column, as ISO-8601 in UTC. Only years 0001 to 9999 are taken: Postgres
 * refuses what lies outside its own range (4713 BC to 294276 AD) and JavaScript reads
 * "+275000-..." and "-005000-..." happily, so the bound is set well inside both. The value
 * must name a real instant: V8 would turn February 30 into March 2.
 */
export const timestampSortKey: SortKeyDecoder<string> = (value) => {
  if (typeof value !== "string") return null;
  const match = utcTimestamp.exec(value);
  if (!match || match[1] === "0000") return null;
  const parsed = new Date(`${value.slice(0, 19)}Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== value.slice(0, 19)) return null;
  return value;
};
