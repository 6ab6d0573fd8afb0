import { TtlLru, type Logger } from "@asky/runtime";
import type { DispensersCacheKey } from "@asky/contracts";
import { watchDispensersInvalidations, type InvalidationHandlers, type NatsConnection } from "@asky/events";
import type { CatalogFacts, DispenserFacts, DispensersClient, DispensersLookup } from "./dispensers-client.js";

const TTL_MS = 30_000;

/**
 * Remembers what the dispensers service said about cabinets and catalog items, so that a
 * nurse's request costs no call to it when the cabinet and items were asked about recently:
 * that call was a fifth of the CPU behind every createRequest. The dispensers service hints
 * every change of a cabinet or item (see watchDispensersInvalidations), which drops the entry
 * here at once; the TTL bounds staleness when a hint is lost. Unknown ids are not remembered.
 */
export class CachedDispensersClient implements DispensersClient, InvalidationHandlers {
  private readonly dispensers = new TtlLru<string, DispenserFacts>(2_000, TTL_MS);
  private readonly items = new TtlLru<string, CatalogFacts>(5_000, TTL_MS);
  /** Bumped by every invalidation: an answer asked for before one must not be stored. */
  private epoch = 0;

  private stopWatching = () => {};

  constructor(private readonly inner: DispensersClient & { close(): void }) {}

  /** Listens for the dispensers service's change hints until close(). */
  watch(nats: NatsConnection, logger: Logger): this {
    this.stopWatching = watchDispensersInvalidations(nats, this, logger);
    return this;
  }

  async lookup(dispenserId: string | null, itemIds: readonly string[]): Promise<DispensersLookup> {
    const dispenser = dispenserId === null ? null : this.dispensers.get(dispenserId);
    const items = new Map<string, CatalogFacts>();
    for (const id of itemIds) {
      const item = this.items.get(id);
      if (item) items.set(id, item);
    }
    if (dispenser !== undefined && items.size === new Set(itemIds).size) return { dispenser, items };

    const asked = this.epoch;
    const answer = await this.inner.lookup(dispenserId, itemIds);
    if (asked === this.epoch) {
      if (answer.dispenser) this.dispensers.set(answer.dispenser.id, answer.dispenser);
      for (const item of answer.items.values()) this.items.set(item.id, item);
    }
    return answer;
  }

  invalidate(keys: readonly DispensersCacheKey[]): void {
    this.epoch += 1;
    for (const key of keys) {
      if (key.kind === "dispenser") this.dispensers.delete(key.id);
      else if (key.kind === "catalogItem") this.items.delete(key.id);
    }
  }

  distrust(): void {
    this.epoch += 1;
    this.dispensers.clear();
    this.items.clear();
  }

  close(): void {
    this.stopWatching();
    this.inner.close();
  }
}
