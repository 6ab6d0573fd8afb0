import type { SortKeyDecoder } from "./cursor-sort-keys.js";
import { errors } from "./errors.js";
import { inputText } from "./validation/text.js";
import { isUuid } from "@asky/contracts";

/**
 * Relay connections with keyset pagination. A cursor is the sort key and id of the last
 * row a client saw, so pages stay stable while requests keep arriving; the encoding is
 * opaque to clients and validated here, so a tampered cursor is BAD_USER_INPUT rather
 * than a SQL error.
 */
export interface CursorKey<TSort = string> {
  /** Value of the sort column (timestamps as ISO-8601). */
  readonly sort: TSort;
  readonly id: string;
}

export interface Connection<TNode> {
  edges: { cursor: string; node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.sort, key.id]), "utf8").toString("base64url");
}

function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The key a client's `after` names, checked in structure: a pair of a sort value that
 * `sortKey` accepts (see cursor-sort-keys.ts) and a UUID, so that nothing in it can fail a
 * cast or comparison in Postgres.
 */
export function decodeCursor<TSort>(
  cursor: string | null | undefined,
  sortKey: SortKeyDecoder<TSort>,
): CursorKey<TSort> | null {
  if (cursor === null || cursor === undefined) return null;
  const parsed = cursor.length > 512 ? undefined : parseCursor(cursor);
  if (Array.isArray(parsed) && parsed.length === 2 && isUuid(parsed[1])) {
    const sort = sortKey(parsed[0]);
    if (sort !== null) return { sort, id: parsed[1] };
  }
  throw errors.badUserInput("Malformed cursor", { argument: "after" });
}

/** Validates `first`: the page size a client may ask for. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw errors.badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: "first" });
  }
  return size;
}

/**
 * Builds a connection from rows fetched with `limit: size + 1`: the extra row only
 * tells whether there is a next page.
 */
export function toConnection<TRow>(
  rows: readonly TRow[],
  size: number,
  totalCount: number,
  keyOf: (row: TRow) => CursorKey,
): Connection<TRow> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Lowercases and strips diacritics, the same normalization stored in search columns. */
export function normalizeSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .trim();
}

export const MAX_SEARCH_LENGTH = 100;

/** Bounds free-text search input before it reaches SQL; null when there is nothing to search for. */
export function searchTerm(search: string | null | undefined): string | null {
  if (search === null || search === undefined) return null;
  const term = inputText(search, { argument: "search" }, { max: MAX_SEARCH_LENGTH });
  return term.length === 0 ? null : normalizeSearch(term);
}

export function emptyConnection<TNode>(): Connection<TNode> {
  return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
}
