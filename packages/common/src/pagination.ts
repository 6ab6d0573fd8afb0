import { errors } from "./errors.js";

/**
 * Relay connections with keyset pagination. A cursor is the sort key and id of the last
 * row a client saw, so pages stay stable while requests keep arriving; the encoding is
 * opaque to clients and validated here, so a tampered cursor is BAD_USER_INPUT rather
 * than a SQL error.
 */
export interface CursorKey {
  /** Value of the sort column, as a string (timestamps as ISO-8601). */
  readonly sort: string;
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

export function decodeCursor(cursor: string | null | undefined): CursorKey | null {
  if (cursor === null || cursor === undefined) return null;
  if (cursor.length > 512) throw errors.badUserInput("Malformed cursor", { argument: "after" });
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" && typeof parsed[1] === "string") {
      return { sort: parsed[0], id: parsed[1] };
    }
  } catch {
    // Fall through to the coded error below.
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
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();
}

/** Bounds free-text search input before it reaches SQL. */
export function searchTerm(search: string | null | undefined): string | null {
  if (search === null || search === undefined) return null;
  const trimmed = search.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length > 100) throw errors.badUserInput("search is limited to 100 characters", { argument: "search" });
  return normalizeSearch(trimmed);
}

export function emptyConnection<TNode>(): Connection<TNode> {
  return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
}
