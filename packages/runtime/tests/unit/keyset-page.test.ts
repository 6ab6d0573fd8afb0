import { PgDialect, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countOf, keyset, timestampKey } from "../../src/keyset-page.js";
import { encodeCursor } from "../../src/pagination.js";
import { refusal } from "./validation/refusal.js";

const items = pgTable("items", {
  id: uuid("id").primaryKey(),
  code: text("code").notNull(),
  name: text("name").notNull(),
  at: timestamp("at", { withTimezone: true }).notNull(),
});
type Item = typeof items.$inferSelect;

const dialect = new PgDialect();
const render = (fragment: SQL | undefined) => {
  if (fragment === undefined) return undefined;
  const { sql, params } = dialect.sqlToQuery(fragment);
  return { sql, params };
};

const id = "0f1e2d3c-0000-4000-8000-000000000001";
const byName = keyset<Item>({
  column: items.name,
  kind: "text",
  tieBreaker: items.id,
  direction: "asc",
  cursorOf: (row) => ({ sort: row.name, id: row.id }),
});
const newestFirst = keyset<Item>({
  column: items.at,
  kind: "timestamp",
  tieBreaker: items.id,
  direction: "desc",
  cursorOf: (row) => ({ sort: row.at.toISOString(), id: row.id }),
});
const byCode = keyset<Item>({
  column: items.code,
  kind: "text",
  direction: "asc",
  cursorOf: (row) => ({ sort: row.code, id: row.id }),
});

const item = (n: number): Item => ({
  id: `0f1e2d3c-0000-4000-8000-00000000000${n}`,
  code: `PYX-${n}`,
  name: `Item ${n}`,
  at: new Date(Date.UTC(2026, 0, n)),
});

describe("keyset order", () => {
  it("orders by the column, then the tie-breaker, in the connection's direction", () => {
    expect(render(byName.orderBy[0])?.sql).toBe('"items"."name" asc');
    expect(byName.orderBy.map((part) => render(part)?.sql)).toEqual(['"items"."name" asc', '"items"."id" asc']);
    expect(newestFirst.orderBy.map((part) => render(part)?.sql)).toEqual(['"items"."at" desc', '"items"."id" desc']);
    expect(byCode.orderBy.map((part) => render(part)?.sql)).toEqual(['"items"."code" asc']);
  });

  it("reads past a cursor with one row comparison, every value typed", () => {
    expect(byName.past(null)).toBeUndefined();
    expect(render(byName.past(encodeCursor({ sort: "Dipirona", id })))).toEqual({
      sql: '("items"."name", "items"."id") > ($1::text, $2::uuid)',
      params: ["Dipirona", id],
    });
    expect(render(newestFirst.past(encodeCursor({ sort: "2026-11-21T10:00:00.123456Z", id })))).toEqual({
      sql: '("items"."at", "items"."id") < ($1::timestamptz, $2::uuid)',
      params: ["2026-11-21T10:00:00.123456Z", id],
    });
  });

  it("compares a unique sort column alone", () => {
    expect(render(byCode.past(encodeCursor({ sort: "PYX-UTI-01", id })))).toEqual({
      sql: '"items"."code" > $1::text',
      params: ["PYX-UTI-01"],
    });
  });

  it("refuses a cursor of another connection, naming the after argument", () => {
    const nameCursor = encodeCursor({ sort: "Dipirona", id });
    expect(refusal(() => newestFirst.past(nameCursor))).toEqual({ code: "BAD_USER_INPUT", argument: "after" });
  });
});

describe("keyset pages", () => {
  it("asks for one row more than the page and builds the connection from what came back", async () => {
    const asked: { past: SQL | undefined; limit: number }[] = [];
    const rows = [item(1), item(2), item(3)];
    const page = await byName.page(
      { size: 2, after: encodeCursor({ sort: "Item 0", id }) },
      {
        rows: async (past, limit) => {
          asked.push({ past, limit });
          return rows.slice(0, limit);
        },
        total: async () => 7,
      },
    );
    expect(asked.map(({ past, limit }) => ({ sql: render(past)?.sql, limit }))).toEqual([
      { sql: '("items"."name", "items"."id") > ($1::text, $2::uuid)', limit: 3 },
    ]);
    expect(page.totalCount).toBe(7);
    expect(page.edges.map((edge) => edge.node)).toEqual([item(1), item(2)]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor({ sort: "Item 2", id: item(2).id }) });
  });

  it("refuses a malformed cursor before running any query", async () => {
    let queries = 0;
    const run = byName.page(
      { size: 2, after: "not-a-cursor" },
      { rows: async () => (queries++, []), total: async () => (queries++, 0) },
    );
    await expect(run).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "after" } });
    expect(queries).toBe(0);
  });

  it("keys timestamps to the microsecond, in UTC", () => {
    expect(render(timestampKey(items.at))?.sql).toBe(
      `to_char("items"."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    );
  });

  it("counts what select({ value: count() }) answered", () => {
    expect(countOf([{ value: 4 }])).toBe(4);
    expect(countOf([])).toBe(0);
  });
});
