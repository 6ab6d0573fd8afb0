import { numeric, timestamp } from "drizzle-orm/pg-core";

/** Instants are stored with their time zone and read as Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** BRL amounts: exact decimals, never floating point. */
export const money = (name: string) => numeric(name, { precision: 12, scale: 2 });
