import { createHash } from "node:crypto";
import type { NormalizedRequest } from "./normalized-request.js";

/**
 * Fingerprint of what was asked, stored with the idempotency key: a retry carrying the same
 * key must be the same request (same fingerprint), otherwise the key was reused by mistake.
 * Computed over the normalized input, so merged duplicate lines, item order, id case and
 * note whitespace do not make a faithful retry look different. Catalog prices are not part
 * of it: a retry after a price change is still the same request.
 */
export function requestHash(request: NormalizedRequest): string {
  const canonical = JSON.stringify([
    1, // format version of this fingerprint
    request.kind,
    request.priority,
    request.dispenserId,
    request.items.map((line) => [line.itemId, line.quantity]),
    request.note,
    request.assistanceReason,
  ]);
  return createHash("sha256").update(canonical).digest("base64url");
}
