import DataLoader from "dataloader";
import type { ReadCache } from "./read-cache.js";
import { isUuid } from "@asky/contracts";
import { type TtlLru } from "@asky/runtime";

/**
 * A per-request DataLoader by id in front of the process cache: hits cost nothing, misses
 * of one request are fetched in one statement and then cached for the other requests.
 */
export function cachedLoaderById<TRow extends { id: string }>(
  cache: ReadCache,
  store: TtlLru<string, TRow>,
  fetch: (ids: string[]) => Promise<TRow[]>,
): DataLoader<string, TRow | null> {
  return new DataLoader(async (ids) => {
    const found = new Map<string, TRow>();
    const misses: string[] = [];
    for (const id of ids) {
      const hit = store.get(id);
      if (hit) found.set(id, hit);
      else if (isUuid(id)) misses.push(id);
    }
    if (misses.length > 0) {
      const epoch = cache.epoch;
      const rows = await fetch(misses);
      const fresh = cache.epoch === epoch;
      for (const row of rows) {
        found.set(row.id, row);
        if (fresh) store.set(row.id, row);
      }
    }
    return ids.map((id) => found.get(id) ?? null);
  });
}
