/** Hostile-input cases for the reports subgraph: controlledBook, closeControlledBookPeriod and turnaround. */
import { BOOK, CLOSE_BOOK, TURNAROUND } from "./operations.js";
import { type Case, C1, vars } from "./support.js";

export const reportsCases: readonly Case[] = [
  {
    name: "controlledBook from year 300000",
    as: "pharmacist@asky.dev",
    query: BOOK,
    variables: vars({ list: "A1", from: "+300000-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "controlledBook itemId not a UUID",
    as: "pharmacist@asky.dev",
    query: BOOK,
    variables: vars({ list: "A1", itemId: "1 or 1=1", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }),
    expect: "NOT_FOUND",
  },
  {
    name: "closeControlledBookPeriod month NUL",
    as: "pharmacist@asky.dev",
    query: CLOSE_BOOK,
    variables: vars({ month: `2026-01${"\u0000"}` }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "closeControlledBookPeriod month 13",
    as: "pharmacist@asky.dev",
    query: CLOSE_BOOK,
    variables: vars({ month: "2026-13" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "closeControlledBookPeriod month year 300000",
    as: "pharmacist@asky.dev",
    query: CLOSE_BOOK,
    variables: vars({ month: "300000-01" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "turnaround ward C1",
    as: "pharmacist@asky.dev",
    query: TURNAROUND,
    variables: vars({ from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", ward: C1 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "turnaround to year 300000",
    as: "pharmacist@asky.dev",
    query: TURNAROUND,
    variables: vars({ from: "2026-01-01T00:00:00Z", to: "+300000-01-01T00:00:00Z" }),
    expect: "BAD_USER_INPUT",
  },
];
