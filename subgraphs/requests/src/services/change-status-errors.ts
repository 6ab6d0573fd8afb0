import { errors } from "@asky/runtime";
import type { RequestRow } from "../data/requests.js";

/** CONFLICT for a client that acted on an old version; carries the current one. */
export function staleVersion(current: RequestRow, expectedVersion: number) {
  return errors.conflict(`The request changed since version ${expectedVersion}: reload it and try again`, {
    reason: "STALE_VERSION",
    currentVersion: current.version,
    currentStatus: current.status,
  });
}
