import { subscriptionRegistry } from "../subscription-registry.js";
import { requestEventsField } from "./request-events.js";
import { requestStatusChangedField } from "./request-status-changed.js";
import { stockLowField } from "./stock-low.js";

/**
 * Every Subscription field the gateway serves. A new one is a file next to these and a line
 * here; its type and payload query field live in the subgraph that owns its events.
 */
export const subscriptionFields = subscriptionRegistry([requestStatusChangedField, requestEventsField, stockLowField], {
  // Visible to the user themself and to ADMIN only (users subgraph): two nurses of one ward
  // must not share a payload that shows either's CPF.
  viewerDependentFields: ["User.cpf"],
});
