import { isUuid } from "../uuid.js";
import { InvalidEventError } from "./envelope.js";

/**
 * Reads one value of an event's data, or refuses it naming where it is (`stock_low.itemId`),
 * so a consumer's log says which field a producer got wrong.
 */
export type Reader<T> = (value: unknown, path: string) => T;

function refuse(path: string, expected: string): never {
  throw new InvalidEventError(`${path} is missing or not ${expected}`);
}

/** The named fields of an object at `path`: `const field = fieldsOf(raw, "stock_low"); field("itemId", uuid)`. */
export function fieldsOf(raw: unknown, path: string): <T>(name: string, read: Reader<T>) => T {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) refuse(path, "an object");
  const record = raw as Record<string, unknown>;
  return (name, read) => read(record[name], `${path}.${name}`);
}

/** Lower-cased, as Postgres prints them, so ids compare equal whoever wrote them. */
export const uuid: Reader<string> = (value, path) => (isUuid(value) ? value.toLowerCase() : refuse(path, "a UUID"));

export const text: Reader<string> = (value, path) =>
  typeof value === "string" && value.length > 0 ? value : refuse(path, "a non-empty string");

/** Any string, the empty one too (free text a person typed). */
export const string: Reader<string> = (value, path) => (typeof value === "string" ? value : refuse(path, "a string"));

/** A whole number ≥ 0 (stock quantities, levels). */
export const count: Reader<number> = (value, path) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : refuse(path, "a whole number ≥ 0");

/** A whole number ≥ 1 (request line quantities, versions). */
export const positiveCount: Reader<number> = (value, path) =>
  Number.isSafeInteger(value) && (value as number) >= 1 ? (value as number) : refuse(path, "a whole number ≥ 1");

/** A finite decimal ≥ 0 (money, as the catalog reports it). */
export const amount: Reader<number> = (value, path) =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : refuse(path, "a finite number ≥ 0");

/** An ISO-8601 instant, kept as the string it was. */
export const instant: Reader<string> = (value, path) =>
  typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : refuse(path, "an ISO-8601 instant");

export function oneOf<const T extends string>(values: readonly T[]): Reader<T> {
  return (value, path) =>
    (values as readonly unknown[]).includes(value) ? (value as T) : refuse(path, `one of ${values.join(", ")}`);
}

/** `null` stays null; absent (an older producer did not write it) reads as null too. */
export function nullable<T>(read: Reader<T>): Reader<T | null> {
  return (value, path) => (value === null || value === undefined ? null : read(value, path));
}

export function listOf<T>(read: Reader<T>): Reader<T[]> {
  return (value, path) =>
    Array.isArray(value) ? value.map((item, index) => read(item, `${path}[${index}]`)) : refuse(path, "a list");
}
