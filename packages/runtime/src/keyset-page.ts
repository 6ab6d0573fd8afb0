import { asc, desc, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { textSortKey, timestampSortKey, type SortKeyDecoder } from "./cursor-sort-keys.js";
import { decodeCursor, toConnection, type Connection, type CursorKey } from "./pagination.js";

/**
 * Keyset pagination for every Relay connection: one definition of a connection's order gives
 * its ORDER BY, the condition for "rows after this cursor", and the connection built from
 * the rows, so the three cannot drift apart. A cursor is the sort value and id of the last
 * row a client saw (pagination.ts), so pages stay stable while rows keep arriving.
 */

/** What a sort column holds, which decides how a cursor's sort value is read and compared. */
export type SortKind = "text" | "timestamp";

export interface KeysetOrder<TRow> {
  /** The column a page is sorted on. */
  readonly column: AnyColumn;
  /** Names and codes (`text`), or instants (`timestamp`, ISO-8601 UTC in cursors). */
  readonly kind: SortKind;
  /** The unique column that breaks ties; left out when `column` is unique itself. */
  readonly tieBreaker?: AnyColumn;
  readonly direction: "asc" | "desc";
  /** A row's cursor: its sort value, as `kind` reads it back (see `timestampKey`), and its id. */
  readonly cursorOf: (row: TRow) => CursorKey;
}

export interface PageRequest {
  /** Already checked by `pageSize`. */
  readonly size: number;
  readonly after: string | null | undefined;
}

export interface PageQueries<TRow> {
  /** Rows matching the connection's filter and `past`, in `orderBy`, at most `limit`. */
  rows(past: SQL | undefined, limit: number): Promise<readonly TRow[]>;
  /** How many rows match the filter, wherever the cursor is. */
  total(): Promise<number>;
}

export interface Keyset<TRow> {
  readonly orderBy: readonly SQL[];
  /**
   * The rows past the cursor `after`, or undefined without one. A malformed cursor, or one
   * of another connection, is BAD_USER_INPUT on `after` before anything reaches SQL.
   */
  past(after: string | null | undefined): SQL | undefined;
  /** The connection of rows fetched with `limit: size + 1` (the extra row tells hasNextPage). */
  connection(rows: readonly TRow[], size: number, totalCount: number): Connection<TRow>;
  /** Reads the cursor, then runs the page's two queries side by side. */
  page(request: PageRequest, queries: PageQueries<TRow>): Promise<Connection<TRow>>;
}

/** How each kind reads a cursor's sort value, and the type it is bound as in SQL. */
const kinds: Readonly<Record<SortKind, { decode: SortKeyDecoder<string>; sqlType: string }>> = {
  text: { decode: textSortKey, sqlType: "text" },
  timestamp: { decode: timestampSortKey, sqlType: "timestamptz" },
};

/** A parameter with its type spelled out, so that Postgres never has to guess it inside a row. */
const typed = (value: string, sqlType: string): SQL => sql`${value}::${sql.raw(sqlType)}`;

export function keyset<TRow>(order: KeysetOrder<TRow>): Keyset<TRow> {
  const { column, tieBreaker } = order;
  const kind = kinds[order.kind];
  const direction = order.direction === "asc" ? asc : desc;
  const past = sql.raw(order.direction === "asc" ? ">" : "<");
  const orderBy = tieBreaker ? [direction(column), direction(tieBreaker)] : [direction(column)];

  const self: Keyset<TRow> = {
    orderBy,
    // A row comparison is the order itself, and Postgres walks a (column, tie-breaker)
    // index from the cursor on instead of filtering everything before it.
    past(after) {
      const cursor = decodeCursor(after, kind.decode);
      if (!cursor) return undefined;
      const sort = typed(cursor.sort, kind.sqlType);
      if (!tieBreaker) return sql`${column} ${past} ${sort}`;
      return sql`(${column}, ${tieBreaker}) ${past} (${sort}, ${typed(cursor.id, tieBreaker.getSQLType())})`;
    },
    connection: (rows, size, totalCount) => toConnection(rows, size, totalCount, order.cursorOf),
    async page({ size, after }, queries) {
      const condition = self.past(after);
      const [rows, total] = await Promise.all([queries.rows(condition, size + 1), queries.total()]);
      return self.connection(rows, size, total);
    },
  };
  return self;
}

/**
 * A timestamptz column as a cursor's sort value: ISO-8601 UTC with the microseconds Postgres
 * keeps. A JavaScript Date holds milliseconds only, and a cursor cut to them would skip the
 * rows of the same millisecond that sort just past it. Select it with the row (named, inside
 * a subquery) and return it from `cursorOf`.
 */
export const timestampKey = (column: AnyColumn): SQL<string> =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The number a `select({ value: count() })` answered. */
export const countOf = (rows: readonly { readonly value: number }[]): number => rows[0]?.value ?? 0;
