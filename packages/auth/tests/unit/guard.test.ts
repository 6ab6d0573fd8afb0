import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, checkAccess, guardResolvers, type GuardedContext } from "../../src/guard.js";

const identity = { caller: "gateway", viewer: null, clientIp: null, sessionId: null, accessIssuedAtMs: 0 };
const as = (role: "NURSE" | "ADMIN" | null, caller = "gateway"): GuardedContext => ({
  viewer: role ? { id: "u1", role, ward: role === "NURSE" ? "UTI-ADULTO" : null } : null,
  identity: { ...identity, caller },
});
const codeOf = (fn: () => void) => {
  try {
    fn();
    return "allowed";
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : "other";
  }
};

describe("access rules", () => {
  it("apply each rule kind", () => {
    expect(codeOf(() => checkAccess(allow.anyone, as(null)))).toBe("allowed");
    expect(codeOf(() => checkAccess(allow.signedIn, as(null)))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => checkAccess(allow.roles("ADMIN"), as("NURSE")))).toBe("FORBIDDEN");
    expect(codeOf(() => checkAccess(allow.roles("ADMIN"), as("ADMIN")))).toBe("allowed");
    expect(codeOf(() => checkAccess(allow.servicesOr(["requests"], "ADMIN"), as(null, "requests")))).toBe("allowed");
    expect(codeOf(() => checkAccess(allow.servicesOr(["requests"], "ADMIN"), as(null, "gateway")))).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("refuse to build a resolver map whose mutations have no table", () => {
    const resolvers = { Query: { a: () => 1 }, Mutation: { b: () => 2 } };
    expect(() => guardResolvers(resolvers, { Query: { a: allow.signedIn } })).toThrow(/no access table/);
  });

  it("guard every root field before its resolver runs", async () => {
    let ran = false;
    const guarded = guardResolvers({ Query: { a: () => (ran = true) } }, { Query: { a: allow.roles("ADMIN") } });
    const resolve = guarded.Query.a as unknown as (p: unknown, a: unknown, c: GuardedContext, i: unknown) => unknown;
    expect(codeOf(() => resolve(null, {}, as("NURSE"), null))).toBe("FORBIDDEN");
    expect(ran).toBe(false);
  });
});
