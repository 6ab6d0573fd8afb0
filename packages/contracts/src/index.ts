export { type EventEnvelope, createEnvelope, parseEnvelope, InvalidEventError } from "./events/envelope.js";
export { type EventContract, defineEvent, parseStored } from "./events/event-contract.js";
export type { RequestEventData, RequestEventItem } from "./events/request-event-data.js";
export { requestCreated } from "./events/request-created.js";
export { requestStatusChanged, requestLifecycleEvents } from "./events/request-status-changed.js";
export { requestLinesChanged } from "./events/request-lines-changed.js";
export {
  type RequestFeedData,
  type SlaEventData,
  requestFeedEvents,
  slaBreached,
  slaWarning,
} from "./events/sla-events.js";
export { type PickRecordedData, type PickedLine, type PickedLot, pickRecorded } from "./events/pick-recorded.js";
export { type StockLowData, stockLow } from "./events/stock-low.js";
export { type StockMovedData, stockMoved } from "./events/stock-moved.js";
export {
  type AccessRevokedData,
  type AccessRevokedReason,
  accessRevoked,
  accessRevokedReasons,
} from "./events/access-revoked.js";
export { eventSubjects, requestEventsWildcard, STREAM_NAME, STREAM_SUBJECTS } from "./events/subjects.js";
export {
  DISPENSERS_INVALIDATION_SUBJECT,
  type DispensersCacheKey,
  type DispensersInvalidation,
  parseDispensersInvalidation,
} from "./cache-hints.js";
export { roles, type Role, isRole, pharmacyRoles, type PharmacyRole, isPharmacyRole } from "./roles.js";
export type { Viewer } from "./viewer.js";
export { wardScopeOf, canSeeWard } from "./ward-scope.js";
export { SYSTEM_USER_ID } from "./system-user.js";
export { requestReasonCodes, type RequestReasonCode, isRequestReasonCode } from "./reason-codes.js";
export {
  requestKinds,
  type RequestKind,
  requestPriorities,
  type RequestPriority,
  requestStatuses,
  type RequestStatus,
  slaStages,
  type SlaStage,
} from "./request-enums.js";
export {
  requestLineStatuses,
  type RequestLineStatus,
  isRequestLineStatus,
  lineReasonCodes,
  type LineReasonCode,
  isLineReasonCode,
} from "./request-lines.js";
export { catalogItemKinds, type CatalogItemKind } from "./catalog-item-kinds.js";
export { stockReasons, type StockReason } from "./stock-reasons.js";
export { controlLists, type ControlList } from "./control-lists.js";
export {
  serviceRegistry,
  type ServiceEntry,
  type ServiceId,
  subgraphNames,
  type SubgraphName,
  defaultGraphqlUrl,
} from "./services.js";
export { isUuid } from "./uuid.js";
export {
  witnessedSteps,
  type WitnessedStep,
  isWitnessedStep,
  witnessRoles,
  mayWitness,
  witnessBindingFields,
  witnessSubjectOf,
  type WitnessSubject,
  type WitnessSubjectFields,
  type WitnessSubjectResult,
} from "./witness-steps.js";
