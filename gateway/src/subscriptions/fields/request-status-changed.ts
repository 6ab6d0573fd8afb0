import { canSeeWard, requestFeedEvents, type RequestFeedData } from "@asky/contracts";
import { defineSubscriptionField } from "../subscription-field.js";
import { requireVisibleRequest } from "./subscription-targets.js";

/**
 * `requestStatusChanged(requestId, after): RequestEvent!`: every change of one request, and
 * its turnaround clock's warnings and breaches. A
 * request the subscriber may not see does not exist for her, as over HTTP: NOT_FOUND; an id
 * that is no id is BAD_USER_INPUT.
 */
export const requestStatusChangedField = defineSubscriptionField<RequestFeedData, "requestId">({
  name: "requestStatusChanged",
  events: requestFeedEvents,
  filterArguments: ["requestId"],
  async authorize({ filter, query }) {
    if (filter.requestId !== undefined) await requireVisibleRequest(query, filter.requestId);
  },
  visibleTo: (event, viewer) => canSeeWard(viewer, event.ward),
  matches: (event, filter) => filter.requestId === undefined || event.requestId === filter.requestId,
  payloadField: "requestEvent",
});
