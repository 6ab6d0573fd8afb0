import { defineEvent } from "./event-contract.js";
import { requestEventDataParser } from "./request-event-data.js";

/**
 * A request's lines changed while its status did not: the restock loop grew a PENDING RESTOCK
 * (an item added, or its quantity raised). Carries the request as it stands after the change,
 * `lines` included, with `previousStatus` equal to `status`, so that every bump of a request's
 * version is an event subscribers and read models see.
 */
export const requestLinesChanged = defineEvent(
  "asky.requests.lines_changed",
  requestEventDataParser("requests.lines_changed"),
);
