import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { textSortKey, timestampSortKey } from "../../src/cursor-sort-keys.js";
import {
  decodeCursor,
  encodeCursor,
  likePattern,
  normalizeSearch,
  pageSize,
  searchTerm,
  toConnection,
} from "../../src/pagination.js";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : "not a GraphQLError";
  }
  return "no error";
};

describe("cursors", () => {
  const id = "0f1e2d3c-0000-4000-8000-000000000001";
  const raw = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

  it("round-trip", () => {
    const key = { sort: "2026-11-21T10:00:00.000Z", id };
    expect(decodeCursor(encodeCursor(key), timestampSortKey)).toEqual(key);
    expect(decodeCursor(encodeCursor({ sort: "Dipirona Sódica", id }), textSortKey)).toEqual({
      sort: "Dipirona Sódica",
      id,
    });
    expect(decodeCursor(null, textSortKey)).toBeNull();
  });

  it.each([
    ["not base64 JSON", "not-base64!"],
    ["an object", raw({ sort: "a", id })],
    ["a number as sort key", raw([1, id])],
    ["a non-UUID id", raw(["a", "a"])],
    ["an id that is SQL", raw(["a", "' or 1=1 --"])],
    ["three elements", raw(["a", id, "b"])],
    ["a NUL in the sort key", raw(["a\u0000", id])],
    ["a sort key too long", raw(["x".repeat(201), id])],
    ["an oversized cursor", "x".repeat(600)],
  ])("rejects %s", (_what, cursor) => {
    expect(codeOf(() => decodeCursor(cursor, textSortKey))).toBe("BAD_USER_INPUT");
  });

  it("names the after argument", () => {
    const error = (() => {
      try {
        return decodeCursor(raw(["a", "a"]), textSortKey);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.argument).toBe("after");
  });

  it("rejects a text key where the connection sorts on time", () => {
    expect(codeOf(() => decodeCursor(raw(["Dipirona", id]), timestampSortKey))).toBe("BAD_USER_INPUT");
  });
});

describe("page size", () => {
  it("defaults to 20 and bounds requests", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(codeOf(() => pageSize(101))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => pageSize(-1))).toBe("BAD_USER_INPUT");
  });
});

describe("toConnection", () => {
  it("uses the extra row only to flag a next page", () => {
    const rows = [{ id: "a" }, { id: "b" }, { id: "c" }];
    const connection = toConnection(rows, 2, 10, (row) => ({ sort: row.id, id: row.id }));
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(["a", "b"]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: connection.edges[1]!.cursor });
    expect(connection.totalCount).toBe(10);
  });
});

describe("search", () => {
  it("ignores case and accents and escapes LIKE wildcards", () => {
    expect(normalizeSearch("Dipirona SÓDICA")).toBe("dipirona sodica");
    expect(searchTerm("  ")).toBeNull();
    expect(likePattern("50%_a\\")).toBe("%50\\%\\_a\\\\%");
    expect(codeOf(() => searchTerm("x".repeat(101)))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => searchTerm("dipirona\u0000"))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => searchTerm("\u001b[2J"))).toBe("BAD_USER_INPUT");
    expect(searchTerm("  Dipirona  ")).toBe("dipirona");
  });
});
