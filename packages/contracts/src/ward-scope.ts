import type { Role } from "./roles.js";
import type { Viewer } from "./viewer.js";

/**
 * The one ward rule: a nurse works in her own ward and sees only its cabinets' requests and
 * events; the pharmacy and admins see every ward. A nurse without a ward (an account being
 * set up) is confined to a ward no request has, so she sees nothing rather than everything.
 */
const confinedRoles: ReadonlySet<Role> = new Set<Role>(["NURSE"]);

/** A ward code no cabinet can have (codes are upper case, see the wards check constraint). */
const noWard = "";

/** The ward a viewer is confined to (a nurse's own ward), or null when the viewer sees every ward. */
export function wardScopeOf(viewer: Pick<Viewer, "role" | "ward">): string | null {
  return confinedRoles.has(viewer.role) ? (viewer.ward ?? noWard) : null;
}

/** Whether the viewer may see things of `ward`. */
export function canSeeWard(viewer: Pick<Viewer, "role" | "ward">, ward: string): boolean {
  const scope = wardScopeOf(viewer);
  return scope === null || scope === ward;
}
