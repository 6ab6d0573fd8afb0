import { accessRevoked } from "./access-revoked.js";
import { requestCreated } from "./request-created.js";
import { requestStatusChanged } from "./request-status-changed.js";
import { stockLow } from "./stock-low.js";

/** Every JetStream subject Asky publishes, read off the contracts that own them. */
export const eventSubjects = {
  requestCreated: requestCreated.subject,
  requestStatusChanged: requestStatusChanged.subject,
  stockLow: stockLow.subject,
  accessRevoked: accessRevoked.subject,
} as const;

/** Every request lifecycle event, for a feed that follows them all. */
export const requestEventsWildcard = "asky.requests.>";

/** The JetStream stream that stores every Asky event, and the subjects it captures. */
export const STREAM_NAME = "ASKY";
export const STREAM_SUBJECTS = "asky.>";
