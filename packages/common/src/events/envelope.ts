/**
 * The envelope lives with the event contracts; re-exported here while runtime code still
 * imports it from common.
 */
export { createEnvelope, InvalidEventError, parseEnvelope, type EventEnvelope } from "@asky/contracts";
