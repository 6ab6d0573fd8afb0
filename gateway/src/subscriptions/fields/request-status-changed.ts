import { errors } from "@asky/runtime";
import { canSeeWard, requestFeedEvents, type RequestFeedData } from "@asky/contracts";
import { defineSubscriptionField } from "../subscription-field.js";

const TARGET = `query SubscriptionTarget($id: ID!) { request(id: $id) { id } }`;

/**
 * `requestStatusChanged(requestId, after): RequestEvent!`: every change of one request, and
 * its turnaround clock's warnings and breaches. A
 * request the subscriber may not see does not exist for her, as over HTTP: NOT_FOUND.
 */
export const requestStatusChangedField = defineSubscriptionField<RequestFeedData, "requestId">({
  name: "requestStatusChanged",
  events: requestFeedEvents,
  filterArguments: ["requestId"],
  async authorize({ filter, query }) {
    if (filter.requestId === undefined) return;
    const result = await query(TARGET, { id: filter.requestId });
    const request = (result.data as { request?: { id: string } | null } | null | undefined)?.request;
    if (!request) throw errors.notFound("Request", filter.requestId);
  },
  visibleTo: (event, viewer) => canSeeWard(viewer, event.ward),
  matches: (event, filter) => filter.requestId === undefined || event.requestId === filter.requestId,
  payloadField: "requestEvent",
});
