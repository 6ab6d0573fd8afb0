import { allow, guardResolvers } from "@asky/common";
import type { Resolvers } from "./generated/resolvers-types.js";

/**
 * Who may call each root field of the dispensers subgraph. Every field must appear here:
 * the table's type is derived from the schema, so a new field without a rule fails to
 * compile. Reads are open to every signed-in role; the cabinet inventory is not secret
 * inside the hospital, and nurses need it to know what to ask for.
 */
export function withAccessRules(resolvers: Resolvers): Resolvers {
  return guardResolvers(resolvers, {
    Query: {
      dispensers: allow.signedIn,
      dispenser: allow.signedIn,
      catalog: allow.signedIn,
      medication: allow.signedIn,
      material: allow.signedIn,

    },
  });
}
