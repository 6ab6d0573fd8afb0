import { defineEvent } from "./event-contract.js";
import { requestEventDataParser } from "./request-event-data.js";

/** A request was opened (by a nurse, or by the restock loop as the system user). */
export const requestCreated = defineEvent("asky.requests.created", requestEventDataParser("requests.created"));
