import { describe, expect, it } from "vitest";
import { NetworkError } from "graphql-sse";
import { AskyClientError, errorFromGraphQL, isAskyErrorCode } from "../../src/errors.js";
import { classifyFailure } from "../../src/subscriptions/failure-kind.js";

describe("errors", () => {
  it("carry the server's code, reason and path", () => {
    const error = errorFromGraphQL(
      [{ message: "stale", path: ["changeRequestStatus"], extensions: { code: "CONFLICT", reason: "STALE_VERSION" } }],
      200,
    );
    expect(error).toBeInstanceOf(AskyClientError);
    expect(error).toMatchObject({
      code: "CONFLICT",
      reason: "STALE_VERSION",
      path: ["changeRequestStatus"],
      status: 200,
    });
    expect(isAskyErrorCode(error, "CONFLICT")).toBe(true);
    expect(isAskyErrorCode(error, "NOT_FOUND")).toBe(false);
    expect(isAskyErrorCode("FORBIDDEN")).toBe(true);
    expect(isAskyErrorCode("TEAPOT")).toBe(false);
  });

  it("name an unknown code UNKNOWN and keep the server's in extensions", () => {
    const error = errorFromGraphQL([{ message: "?", extensions: { code: "SOMETHING_NEW" } }]);
    expect(error.code).toBe("UNKNOWN");
    expect(error.extensions.code).toBe("SOMETHING_NEW");
    expect(error.is("SOMETHING_NEW")).toBe(true);
  });
});

describe("classifyFailure", () => {
  const kind = (failure: unknown) => classifyFailure(failure).kind;

  it("refreshes on close 4401, on UNAUTHENTICATED and on an SSE 401", () => {
    expect(kind({ code: 4401, reason: "Access token expired; reconnect with a fresh one" })).toBe("refresh");
    expect(kind([{ message: "expired", extensions: { code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" } }])).toBe(
      "refresh",
    );
    expect(kind(new NetworkError({ ok: false, status: 401, statusText: "Unauthorized" }))).toBe("refresh");
  });

  it("resumes after network closes, rate limits and schema reloads", () => {
    for (const code of [1000, 1001, 1006, 1008, 1011, 4430, 4431, 4499, 4500])
      expect(kind({ code, reason: "" })).toBe("resume");
    expect(kind(new TypeError("fetch failed"))).toBe("resume");
    expect(kind(new NetworkError({ ok: false, status: 503, statusText: "" }))).toBe("resume");
    expect(
      kind([{ message: "limit", extensions: { code: "RATE_LIMITED", reason: "MAX_SUBSCRIPTIONS_PER_USER" } }]),
    ).toBe("resume");
    expect(kind([{ message: "changed", extensions: { code: "BAD_USER_INPUT", reason: "SUPERGRAPH_CHANGED" } }])).toBe(
      "resume",
    );
  });

  it("asks for a resync on RESYNC_REQUIRED, and for the text on an unknown hash", () => {
    expect(kind([{ message: "too old", extensions: { code: "BAD_USER_INPUT", reason: "RESYNC_REQUIRED" } }])).toBe(
      "resync",
    );
    expect(kind([{ message: "?", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }])).toBe("unpersist");
    expect(kind([{ message: "?", extensions: { code: "BAD_USER_INPUT", reason: "PERSISTED_QUERY_NOT_FOUND" } }])).toBe(
      "unpersist",
    );
  });

  it("gives up on refusals that will not change", () => {
    expect(kind({ code: 4403, reason: "Forbidden" })).toBe("fatal");
    expect(kind({ code: 4400, reason: "Bad" })).toBe("fatal");
    expect(kind([{ message: "no", extensions: { code: "FORBIDDEN" } }])).toBe("fatal");
    expect(kind([{ message: "no", extensions: { code: "NOT_FOUND" } }])).toBe("fatal");
    expect(kind([{ message: "no", extensions: { code: "PERSISTED_QUERY_REQUIRED" } }])).toBe("fatal");
  });
});
