import { canSeeWard, requestFeedEvents, type RequestFeedData } from "@asky/contracts";
import { defineSubscriptionField } from "../subscription-field.js";
import { requireFollowedDispenser } from "./subscription-targets.js";
import { inWardFilter, refuseUnseenWard } from "./ward-filter.js";

/**
 * `requestEvents(ward, dispenserId, after): RequestEvent!`: every new request and status
 * change, and the turnaround clock's warnings and breaches: the ward board. Payloads are `Query.requestEvent` of the requests subgraph.
 */
export const requestEventsField = defineSubscriptionField<RequestFeedData, "ward" | "dispenserId">({
  name: "requestEvents",
  events: requestFeedEvents,
  filterArguments: ["ward", "dispenserId"],
  async authorize({ filter, viewer, query }) {
    refuseUnseenWard(viewer, filter.ward, "requests");
    // A cabinet that does not exist would leave the subscription open and silent for good.
    if (filter.dispenserId !== undefined) await requireFollowedDispenser(query, viewer, filter.dispenserId, "requests");
  },
  visibleTo: (event, viewer) => canSeeWard(viewer, event.ward),
  matches: inWardFilter,
  payloadField: "requestEvent",
});
