import { allow, guardResolvers, type Viewer } from "@asky/common";
import type { Resolvers } from "./generated/resolvers-types.js";

/**
 * Who may call each root field of the requests subgraph. Every field must appear here:
 * the table's type is derived from the schema, so a new field without a rule fails to
 * compile. Row-level scope (a nurse sees her own ward only) is `wardScope` below, applied
 * by the data layer to every read, and by the User.requests and Dispenser.openRequests
 * entity fields, whose callers may be anyone the gateway resolves them for.
 */
export function withAccessRules(resolvers: Resolvers): Resolvers {
  return guardResolvers(resolvers, {
    Query: {
      request: allow.signedIn,
      requests: allow.signedIn,
      requestEvent: allow.signedIn,
    },
    Mutation: {
      // Every role opens some kind of request; which kinds, and for which ward, is the
      // per-kind table in domain/request-kinds.ts.
      createRequest: allow.signedIn,
      // Who may make which move is the lifecycle table in domain/lifecycle.ts; it depends on
      // the request (its ward, its requester), so it cannot be decided here.
      changeRequestStatus: allow.signedIn,
    },
  });
}

/**
 * The ward a viewer is confined to: nurses see and act on their own ward's requests only;
 * pharmacy staff and administrators see every ward (null). A nurse without a ward sees
 * nothing rather than everything.
 */
export function wardScope(viewer: Viewer | null): { ward: string | null } | "none" {
  if (viewer === null) return "none";
  switch (viewer.role) {
    case "NURSE":
      return viewer.ward ? { ward: viewer.ward } : "none";
    case "PHARMACIST":
    case "PHARMACY_TECHNICIAN":
    case "ADMIN":
      return { ward: null };
    default: {
      const unreachable: never = viewer.role;
      throw new Error(`unknown role ${String(unreachable)}`);
    }
  }
}

/** True when the viewer may see a request of this ward. */
export function canSeeWard(viewer: Viewer | null, ward: string): boolean {
  const scope = wardScope(viewer);
  return scope !== "none" && (scope.ward === null || scope.ward === ward);
}
