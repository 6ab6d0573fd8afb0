import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, likePattern, normalizeSearch, pageSize, searchTerm, toConnection } from "../src/pagination.js";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : "not a GraphQLError";
  }
  return "no error";
};

describe("cursors", () => {
  it("round-trip", () => {
    const key = { sort: "2026-11-21T10:00:00.000Z", id: "0f1e2d3c-0000-4000-8000-000000000001" };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(decodeCursor(null)).toBeNull();
  });

  it.each(["not-base64!", Buffer.from("{}").toString("base64url"), Buffer.from('[1,"a"]').toString("base64url"), "x".repeat(600)])(
    "reject malformed cursor %#",
    (cursor) => {
      expect(codeOf(() => decodeCursor(cursor))).toBe("BAD_USER_INPUT");
    },
  );
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
  });
});
