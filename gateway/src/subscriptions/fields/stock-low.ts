import { canSeeWard, stockLow } from "@asky/contracts";
import { defineSubscriptionField } from "../subscription-field.js";
import { requireFollowedDispenser } from "./subscription-targets.js";
import { inWardFilter, refuseUnseenWard } from "./ward-filter.js";

/**
 * `stockLow(ward, dispenserId, after): StockLowAlert!`: a cabinet's level of an item fell
 * under its minimum (asky.dispensers.stock_low, once per crossing). The pharmacy and admins
 * follow every ward, a nurse her own. Payloads are `Query.stockLowAlert` of the dispensers
 * subgraph.
 */
export const stockLowField = defineSubscriptionField({
  name: "stockLow",
  events: [stockLow],
  filterArguments: ["ward", "dispenserId"],
  async authorize({ filter, viewer, query }) {
    refuseUnseenWard(viewer, filter.ward, "stock alerts");
    // A cabinet that does not exist would leave the subscription open and silent for good.
    if (filter.dispenserId !== undefined)
      await requireFollowedDispenser(query, viewer, filter.dispenserId, "stock alerts");
  },
  visibleTo: (event, viewer) => canSeeWard(viewer, event.ward),
  matches: inWardFilter,
  payloadField: "stockLowAlert",
});
