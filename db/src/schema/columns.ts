import { sql, type SQL } from "drizzle-orm";
import { numeric, timestamp } from "drizzle-orm/pg-core";

/** Instants are stored with their time zone and read as Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** BRL amounts: exact decimals, never floating point. */
export const money = (name: string) => numeric(name, { precision: 12, scale: 2 });

/**
 * `'A', 'B'` for a check constraint's `IN (...)`, from a contract's list of codes, spelled
 * exactly as the migrations have it so that the schema and the migrations agree.
 */
export function sqlValueList(values: readonly string[]): SQL {
  for (const value of values) {
    if (!/^[A-Z_]+$/.test(value)) throw new Error(`not a code: ${value}`);
  }
  return sql.raw(values.map((value) => `'${value}'`).join(", "));
}
