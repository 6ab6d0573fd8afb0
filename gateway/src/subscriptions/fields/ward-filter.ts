import { errors } from "@asky/runtime";
import { canSeeWard, type Viewer } from "@asky/contracts";

/**
 * A subscription filtered on a ward the viewer may not see is refused at subscribe time, as the
 * HTTP API refuses the same ward filter: FORBIDDEN, not an empty stream.
 */
export function refuseUnseenWard(viewer: Viewer, ward: string | undefined, what: string): void {
  if (ward !== undefined && !canSeeWard(viewer, ward)) {
    throw errors.forbidden(`Nurses follow the ${what} of their own ward only`);
  }
}

/** Whether an event of `ward` and `dispenserId` is one a `{ ward?, dispenserId? }` filter asks for. */
export function inWardFilter(
  event: { readonly ward: string; readonly dispenserId: string },
  filter: { readonly ward?: string; readonly dispenserId?: string },
): boolean {
  return (
    (filter.ward === undefined || event.ward === filter.ward) &&
    (filter.dispenserId === undefined || event.dispenserId === filter.dispenserId)
  );
}
