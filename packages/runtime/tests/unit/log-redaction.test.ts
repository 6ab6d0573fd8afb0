import { Writable } from "node:stream";
import { pino } from "pino";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { redactingErrorSerializer } from "../../src/log-redaction.js";

function logged(error: Error): string {
  let output = "";
  const sink = new Writable({ write: (chunk, _encoding, done) => ((output += String(chunk)), done()) });
  pino({ serializers: { err: redactingErrorSerializer } }, sink).error({ err: error }, "unexpected error");
  return output;
}

describe("log redaction", () => {
  it("keeps a failed statement's text but not its parameters, nor values Postgres echoes", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "requests_idempotency"'), {
      detail: "Key (idempotency_key)=(paciente João leito 12) already exists.",
      code: "23505",
      severity: "ERROR",
      constraint: "requests_idempotency",
    });
    const error = new DrizzleQueryError(
      "insert into requests.requests (note) values ($1)",
      ["Paciente com dor, leito 12, alergia a dipirona"],
      cause,
    );
    const line = logged(error);
    expect(line).toContain("insert into requests.requests");
    expect(JSON.parse(line).err.cause).toMatchObject({ code: "23505" });
    expect(line).not.toContain("dipirona");
    expect(line).not.toContain("João");
    expect(line).toContain("[redacted]");
  });

  it("takes values out of Postgres' own messages", () => {
    const error = Object.assign(new Error('invalid input syntax for type uuid: "Maria da Silva, leito 4"'), {
      code: "22P02",
      severity: "ERROR",
    });
    const line = logged(error);
    expect(line).not.toContain("Maria");
    expect(JSON.parse(line).err).toMatchObject({ code: "22P02" });
  });

  it("leaves other errors as pino would log them", () => {
    const line = logged(new Error("connection refused"));
    expect(JSON.parse(line).err).toMatchObject({ type: "Error", message: "connection refused" });
  });
});
