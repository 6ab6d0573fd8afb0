import { defineEvent } from "./event-contract.js";
import { requestCreated } from "./request-created.js";
import { requestEventDataParser } from "./request-event-data.js";

/** A request moved along its lifecycle (accepted, delivered, cancelled...). */
export const requestStatusChanged = defineEvent(
  "asky.requests.status_changed",
  requestEventDataParser("requests.status_changed"),
);

/** The events of a request's life, in the order they happen: what request subscriptions follow. */
export const requestLifecycleEvents = [requestCreated, requestStatusChanged] as const;
