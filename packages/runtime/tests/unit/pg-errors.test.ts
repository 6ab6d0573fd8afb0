import { describe, expect, it } from "vitest";
import { isUniqueViolation, uniqueViolation } from "../../src/pg-errors.js";

/** The shape node-postgres gives a failed statement, wrapped as drizzle wraps it. */
const pgError = (code: string, constraint?: string) =>
  Object.assign(new Error("duplicate key value"), { code, constraint });
const wrapped = (cause: unknown) => new Error("Failed query: insert into ...", { cause });

describe("unique violations", () => {
  it("name the constraint, through drizzle's wrapper and one more", () => {
    expect(uniqueViolation(pgError("23505", "users_email_key"))).toBe("users_email_key");
    expect(uniqueViolation(wrapped(pgError("23505", "users_cpf_key")))).toBe("users_cpf_key");
    expect(uniqueViolation(wrapped(wrapped(pgError("23505", "dispensers_code_key"))))).toBe("dispensers_code_key");
    expect(uniqueViolation(pgError("23505"))).toBe("");
  });

  it("are told apart from other errors", () => {
    expect(uniqueViolation(wrapped(pgError("23503", "dispensers_ward_fkey")))).toBeNull();
    expect(uniqueViolation(new Error("connection refused"))).toBeNull();
    expect(uniqueViolation("23505")).toBeNull();
    expect(uniqueViolation(null)).toBeNull();
  });

  it("match one constraint", () => {
    const error = wrapped(pgError("23505", "catalog_items_code_key"));
    expect(isUniqueViolation(error, "catalog_items_code_key")).toBe(true);
    expect(isUniqueViolation(error, "dispensers_code_key")).toBe(false);
  });
});
