import type { RequestEventData } from "@asky/contracts";

/** One line as the read model stores it; null where the event does not say. */
export interface ProjectedLine {
  readonly itemId: string;
  readonly itemKind: string;
  readonly substitute: boolean;
  readonly quantityRequested: number | null;
  readonly quantityDispatched: number | null;
  readonly quantityReceived: number | null;
  readonly unitCost: number | null;
  /** Frozen on the line at creation; null for materials and where unknown. */
  readonly therapeuticClass: string | null;
}

/**
 * The lines an event tells about. Producers since the read model write `lines`, every line
 * with what was asked, picked and received. Older events only list what goes out (`items`):
 * in the `created` event that is what was asked for; once DELIVERED, what arrived; anything
 * else they say is left unknown (null) rather than guessed.
 */
export function projectedLines(data: RequestEventData): ProjectedLine[] {
  if (data.lines) {
    // Lines written before the class was carried have none: unknown, not "no class".
    return data.lines.map((line) => ({ ...line, therapeuticClass: line.therapeuticClass ?? null }));
  }
  return data.items.map((item) => ({
    itemId: item.itemId,
    itemKind: item.itemKind,
    substitute: false,
    quantityRequested: data.previousStatus === null ? item.quantity : null,
    quantityDispatched: null,
    quantityReceived: data.status === "DELIVERED" ? (item.quantityReceived ?? item.quantity) : null,
    unitCost: null,
    therapeuticClass: null,
  }));
}
