import { accessRevoked } from "./access-revoked.js";
import { pickRecorded } from "./pick-recorded.js";
import { requestCreated } from "./request-created.js";
import { requestLinesChanged } from "./request-lines-changed.js";
import { requestStatusChanged } from "./request-status-changed.js";
import { slaBreached, slaWarning } from "./sla-events.js";
import { stockLow } from "./stock-low.js";
import { stockMoved } from "./stock-moved.js";

/** Every JetStream subject Asky publishes, read off the contracts that own them. */
export const eventSubjects = {
  requestCreated: requestCreated.subject,
  requestStatusChanged: requestStatusChanged.subject,
  requestLinesChanged: requestLinesChanged.subject,
  pickRecorded: pickRecorded.subject,
  slaWarning: slaWarning.subject,
  slaBreached: slaBreached.subject,
  stockLow: stockLow.subject,
  stockMoved: stockMoved.subject,
  accessRevoked: accessRevoked.subject,
} as const;

/** Every event of the requests service (lifecycle and fulfilment), for a feed that follows them all. */
export const requestEventsWildcard = "asky.requests.>";

/** The JetStream stream that stores every Asky event, and the subjects it captures. */
export const STREAM_NAME = "ASKY";
export const STREAM_SUBJECTS = "asky.>";
