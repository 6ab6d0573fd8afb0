/**
 * Deterministic ids shared by the three seeds, so each service seeds independently (it cannot
 * read the other schemas) yet cross-service references agree: a request's `requester_id` is the
 * id the users seed gave that user, its `dispenser_id` and item ids those of the dispensers seed.
 *
 * RFC 4122 version-5 UUIDs: SHA-1 of a namespace UUID + a name such as `user:nurse@asky.dev`,
 * `dispenser:PYX-UTI-01`, `item:MED-DIPIRONA-500-CP`.
 */
import { createHash } from "node:crypto";

/** RFC 4122 DNS namespace. */
const DNS_NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  if (ns.length !== 16) throw new Error(`uuidV5: invalid namespace ${namespace}`);
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Namespace of every Asky seed id: uuidV5("asky.dev", DNS). */
export const ASKY_NAMESPACE = uuidV5("asky.dev", DNS_NAMESPACE);

export const seedId = (kind: string, key: string): string => uuidV5(`${kind}:${key}`, ASKY_NAMESPACE);

/** Id of a seeded user, by email (case-insensitive). */
export const userId = (email: string): string => seedId("user", email.trim().toLowerCase());
/** Id of a seeded dispenser, by cabinet code (e.g. `PYX-UTI-01`). */
export const dispenserId = (code: string): string => seedId("dispenser", code);
/** Id of a seeded catalog item, by formulary code (e.g. `MED-DIPIRONA-500-CP`). */
export const itemId = (code: string): string => seedId("item", code);
/** Id of a seeded request, by its position in the seed plan. */
export const requestId = (index: number): string => seedId("request", String(index));
