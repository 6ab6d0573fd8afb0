/**
 * Hints that cabinets, catalog items or wards changed, sent by the dispensers service after
 * each commit. Every process that caches those rows listens: the dispensers replicas and the
 * requests service, which checks cabinets and prices on every new request. Core NATS
 * (fire-and-forget), deliberately outside `asky.>`: the ASKY JetStream stream captures every
 * subject under `asky.`, and cache hints are worthless once delivered. The TTL of each cache
 * bounds staleness when a hint is lost.
 */
export const DISPENSERS_INVALIDATION_SUBJECT = "cache.asky.dispensers.invalidate";

/** What a write invalidates; also the body of the invalidation message. */
export type DispensersCacheKey =
  | { readonly kind: "dispenser"; readonly id: string }
  | { readonly kind: "catalogItem"; readonly id: string }
  | { readonly kind: "wards" };

export interface DispensersInvalidation {
  /** The sending process, so that it can skip its own hints. */
  readonly origin: string;
  readonly keys: readonly DispensersCacheKey[];
}

function isCacheKey(value: unknown): value is DispensersCacheKey {
  const key = value as Partial<Record<string, unknown>> | null;
  if (typeof key !== "object" || key === null) return false;
  if (key.kind === "wards") return true;
  return (key.kind === "dispenser" || key.kind === "catalogItem") && typeof key.id === "string";
}

/**
 * Reads a hint leniently: keys it does not know are dropped (a newer sender may know more),
 * since forgetting less is only a staleness bounded by the TTL. Throws on a body that is not
 * an object, which the listener takes as "hints may have been missed".
 */
export function parseDispensersInvalidation(raw: unknown): DispensersInvalidation {
  if (typeof raw !== "object" || raw === null) throw new TypeError("cache hint is not an object");
  const { origin, keys } = raw as Record<string, unknown>;
  return { origin: String(origin), keys: Array.isArray(keys) ? keys.filter(isCacheKey) : [] };
}
