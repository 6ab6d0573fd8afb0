import type { ExecutionResult } from "graphql";
import { errors, invalidInput } from "@asky/runtime";
import { canSeeWard, isUuid, type Viewer } from "@asky/contracts";
import type { SubscriberQuery } from "../subscription-field.js";

const REQUEST = `query SubscriptionRequest($id: ID!) { request(id: $id) { id } }`;
const DISPENSER = `query SubscriptionDispenser($id: ID!) { dispenser(id: $id) { id ward } }`;

/** The object a lookup answered, or null; a lookup that failed (a subgraph down) is no answer that it is missing. */
function lookedUp<T>(result: ExecutionResult, field: string): T | null {
  const found = (result.data as Record<string, T | null> | null | undefined)?.[field] ?? null;
  if (found === null && result.errors?.[0]) throw result.errors[0];
  return found;
}

/**
 * An id argument that is no id at all is a client mistake, told as such (BAD_USER_INPUT naming
 * the argument) rather than asked of a subgraph: no object could ever match it, and a stream
 * accepted for it would wait forever, silently.
 */
export function requireId(value: string, argument: string): void {
  if (!isUuid(value)) throw invalidInput({ argument }, `${argument} is not a valid id`);
}

/**
 * The request a subscription follows, as the subscriber sees it over HTTP: one of another ward
 * does not exist for a nurse, so unknown and hidden alike are NOT_FOUND.
 */
export async function requireVisibleRequest(query: SubscriberQuery, requestId: string): Promise<void> {
  requireId(requestId, "requestId");
  const request = lookedUp<{ id: string }>(await query(REQUEST, { id: requestId }), "request");
  if (!request) throw errors.notFound("Request", requestId);
}

/**
 * The cabinet a subscription is filtered on: NOT_FOUND when there is none (nothing would ever
 * arrive), FORBIDDEN for a cabinet of a ward the subscriber may not follow, as for a `ward`
 * filter of that ward. Cabinets themselves are not secret (any user may look one up).
 */
export async function requireFollowedDispenser(
  query: SubscriberQuery,
  viewer: Viewer,
  dispenserId: string,
  what: string,
): Promise<void> {
  requireId(dispenserId, "dispenserId");
  const dispenser = lookedUp<{ id: string; ward: string }>(await query(DISPENSER, { id: dispenserId }), "dispenser");
  if (!dispenser) throw errors.notFound("Dispenser", dispenserId);
  if (!canSeeWard(viewer, dispenser.ward)) {
    throw errors.forbidden(`Nurses follow the ${what} of their own ward only`);
  }
}
