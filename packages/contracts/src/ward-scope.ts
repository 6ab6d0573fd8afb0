import type { Role } from "./roles.js";
import type { Viewer } from "./viewer.js";

/**
 * The one ward rule: a nurse works in her own ward and sees only its cabinets' requests and
 * events; the pharmacy and admins see every ward. A nurse without a ward (an account being
 * set up) is confined to a ward no request has, so she sees nothing rather than everything.
 */
const confinedRoles: ReadonlySet<Role> = new Set<Role>(["NURSE"]);

/**
 * A ward no cabinet can have (codes match `^[A-Z0-9][A-Z0-9_-]*$`, the wards check
 * constraint), and not empty: a filter that skips a falsy ward must still match nothing.
 */
const noWard = "(no ward)";

/** The ward a viewer is confined to (a nurse's own ward), or null when the viewer sees every ward. */
export function wardScopeOf(viewer: Pick<Viewer, "role" | "ward">): string | null {
  return confinedRoles.has(viewer.role) ? (viewer.ward ?? noWard) : null;
}

/** Whether the viewer may see things of `ward`. */
export function canSeeWard(viewer: Pick<Viewer, "role" | "ward">, ward: string): boolean {
  const scope = wardScopeOf(viewer);
  return scope === null || scope === ward;
}
