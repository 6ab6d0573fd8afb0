import { allow, guardResolvers } from "@asky/auth";
import { canSeeWard as viewerCanSeeWard, pharmacyRoles, wardScopeOf, type Viewer } from "@asky/contracts";
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
      // Pharmacy roles and ADMIN see every ward's queue; a nurse her own ward's (query.ts).
      pharmacyQueue: allow.signedIn,
      // The targets are no secret: a ward may know what it is promised.
      slaPolicies: allow.signedIn,
    },
    Mutation: {
      // Every role opens some kind of request; which kinds, and for which ward, is the
      // per-kind table in domain/request-kinds.ts.
      createRequest: allow.signedIn,
      // Who may make which move is the lifecycle table in domain/lifecycle.ts; it depends on
      // the request (its ward, its requester), so it cannot be decided here.
      changeRequestStatus: allow.signedIn,
      // Picking is pharmacy work whatever the request; which requests may be picked (PREPARING
      // ones) is services/record-pick.ts's call.
      recordPick: allow.roles(...pharmacyRoles),
      // The ward's nurse or the pharmacy, by the lifecycle's DISPATCHED → DELIVERED move, which
      // depends on the request's ward.
      confirmReceipt: allow.signedIn,
      // The pharmacy's lead and the administration set the service levels; technicians do not.
      setSlaPolicy: allow.roles("PHARMACIST", "ADMIN"),
    },
  });
}

/**
 * The ward a viewer's reads are confined to, by the contracts' ward rule (wardScopeOf): a
 * nurse's own ward, or null for every ward. Nobody signed in sees nothing.
 */
export function wardScope(viewer: Viewer | null): { ward: string | null } | "none" {
  return viewer === null ? "none" : { ward: wardScopeOf(viewer) };
}

/** True when the viewer may see a request of this ward (the contracts' canSeeWard; false when signed out). */
export function canSeeWard(viewer: Viewer | null, ward: string): boolean {
  return viewer !== null && viewerCanSeeWard(viewer, ward);
}
