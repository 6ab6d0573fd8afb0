import type { FeedContract, SubscriptionField } from "./subscription-field.js";

/** The subscription fields a gateway serves, and what the engine needs to know across them. */
export interface SubscriptionRegistry {
  readonly fields: ReadonlyMap<string, SubscriptionField>;
  /** Every field's event contracts, once each: what the live feed reads. */
  readonly contracts: readonly FeedContract<unknown>[];
  /**
   * Fields (`Type.field`) whose value depends on who reads them, not only on the reader's
   * role and ward. Subscribers whose payloads are equal share one resolution per event; a
   * payload selecting one of these anywhere (any payload may reach it through entity
   * references) is resolved per subscriber instead.
   */
  readonly viewerDependentFields: ReadonlySet<string>;
}

export function subscriptionRegistry(
  fields: readonly SubscriptionField[],
  options: { viewerDependentFields: readonly string[] },
): SubscriptionRegistry {
  const byName = new Map<string, SubscriptionField>();
  for (const field of fields) {
    if (byName.has(field.name)) throw new Error(`subscription field ${field.name} is registered twice`);
    byName.set(field.name, field);
  }
  return {
    fields: byName,
    contracts: [...new Set(fields.flatMap((field) => field.contracts.all))],
    viewerDependentFields: new Set(options.viewerDependentFields),
  };
}
