import type { CatalogItemRow } from "../data/catalog.js";
import type { DispenserRow } from "../data/dispensers.js";
import type { WardRow } from "../data/wards.js";
import { TtlLru } from "@asky/runtime";
import type { DispensersCacheKey } from "@asky/contracts";

/** What a write invalidates; also the body of the invalidation message. */
export type CacheKey = DispensersCacheKey;

const TTL_MS = 30_000;

/**
 * The hot reads of this subgraph: every request list resolves its dispensers and items here,
 * and they change rarely (an admin edits a cabinet, the pharmacy a price). Stock levels are
 * not cached: they change with every dispensing and must be exact.
 */
export class ReadCache {
  readonly dispensers = new TtlLru<string, DispenserRow>(2_000, TTL_MS);
  readonly catalogItems = new TtlLru<string, CatalogItemRow>(5_000, TTL_MS);
  readonly wards = new TtlLru<"all", WardRow[]>(1, TTL_MS);
  /**
   * Bumped by every invalidation. A read that started before an invalidation must not store
   * what it fetched (it may be the old value), so loaders compare epochs before storing.
   */
  private currentEpoch = 0;

  get epoch(): number {
    return this.currentEpoch;
  }

  invalidate(keys: readonly CacheKey[]): void {
    this.currentEpoch++;
    for (const key of keys) {
      if (key.kind === "dispenser") this.dispensers.delete(key.id);
      else if (key.kind === "catalogItem") this.catalogItems.delete(key.id);
      else this.wards.clear();
    }
  }

  /** After a NATS reconnect: messages may have been missed, so nothing cached is trusted. */
  clear(): void {
    this.currentEpoch++;
    this.dispensers.clear();
    this.catalogItems.clear();
    this.wards.clear();
  }
}
