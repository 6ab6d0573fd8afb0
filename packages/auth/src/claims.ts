import { isRole, type Viewer } from "@asky/contracts";

/** Claims that describe a person; shared by access tokens and internal tokens. */
export interface ViewerClaims {
  sub?: string;
  role?: string;
  ward?: string | null;
}

export function viewerClaims(viewer: Viewer): ViewerClaims {
  return { sub: viewer.id, role: viewer.role, ward: viewer.ward };
}

/** Reads a viewer from verified claims; a token with a subject but no valid role is refused. */
export function viewerFromClaims(claims: ViewerClaims): Viewer | null {
  if (claims.sub === undefined) return null;
  if (!isRole(claims.role)) throw new Error("token subject has no valid role");
  return { id: claims.sub, role: claims.role, ward: typeof claims.ward === "string" ? claims.ward : null };
}
