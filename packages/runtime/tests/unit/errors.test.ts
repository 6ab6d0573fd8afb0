import { GraphQLError } from "graphql";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createErrorFormatter, errors } from "../../src/errors.js";
import { runWithRequestId } from "../../src/request-context.js";

const logged: unknown[] = [];
const logger = pino({ level: "error" }, { write: (line: string) => logged.push(JSON.parse(line)) });
const format = createErrorFormatter(logger);

describe("error masking", () => {
  it("keeps deliberate errors and drops stack traces", () => {
    const error = errors.conflict("Request changed meanwhile", { currentVersion: 3 });
    const formatted = format(
      { message: error.message, extensions: { ...error.extensions, stacktrace: ["at x"] } },
      error,
    );
    expect(formatted).toEqual({
      message: "Request changed meanwhile",
      extensions: { code: "CONFLICT", currentVersion: 3 },
    });
  });

  it("maps malformed operations to BAD_USER_INPUT", () => {
    const error = new GraphQLError("Cannot query field x", { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(format({ message: error.message, extensions: error.extensions }, error).extensions).toEqual({
      code: "BAD_USER_INPUT",
      reason: "GRAPHQL_VALIDATION_FAILED",
    });
  });

  it("masks unexpected errors and logs them with the correlation id", () => {
    const secret = new Error("connection to 10.0.0.5 refused, password=hunter2");
    const formatted = runWithRequestId("req-12345678", () =>
      format({ message: secret.message, path: ["requests"], extensions: { code: "INTERNAL_SERVER_ERROR" } }, secret),
    );
    expect(formatted).toEqual({
      message: "Internal server error",
      path: ["requests"],
      extensions: { code: "INTERNAL_SERVER_ERROR", correlationId: "req-12345678" },
    });
    expect(JSON.stringify(formatted)).not.toContain("hunter2");
    expect(logged).toContainEqual(expect.objectContaining({ correlationId: "req-12345678", msg: "unexpected error" }));
  });
});
