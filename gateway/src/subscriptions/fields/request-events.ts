import { canSeeWard, requestLifecycleEvents } from "@asky/contracts";
import { defineSubscriptionField } from "../subscription-field.js";
import { inWardFilter, refuseUnseenWard } from "./ward-filter.js";

/**
 * `requestEvents(ward, dispenserId, after): RequestEvent!`: every new request and status
 * change, the ward board. Payloads are `Query.requestEvent` of the requests subgraph.
 */
export const requestEventsField = defineSubscriptionField({
  name: "requestEvents",
  events: requestLifecycleEvents,
  filterArguments: ["ward", "dispenserId"],
  async authorize({ filter, viewer }) {
    refuseUnseenWard(viewer, filter.ward, "requests");
  },
  visibleTo: (event, viewer) => canSeeWard(viewer, event.ward),
  matches: inWardFilter,
  payloadField: "requestEvent",
});
