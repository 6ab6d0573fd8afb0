// Process plumbing shared by every service; named exports only, so what a service can reach is listed here.
export { assertNever } from "./assert-never.js";
export { TtlLru } from "./cache/ttl-lru.js";
export { loadConfig, commonEnv, statementTimeoutEnv, type ConfigSpec, type ConfigOf } from "./config.js";
export { MAX_TEXT_SORT_KEY, textSortKey, timestampSortKey, type SortKeyDecoder } from "./cursor-sort-keys.js";
export {
  DEFAULT_STATEMENT_TIMEOUT_MS,
  DEFAULT_CONNECTIONS_PER_OPERATION,
  createDatabase,
  type Database,
  type DatabaseOptions,
} from "./database.js";
export { ConfigError, env, type EnvVar } from "./env-vars.js";
export {
  ErrorCode,
  SESSION_UNVERIFIABLE,
  SESSION_UNVERIFIABLE_MESSAGE,
  errors,
  isContractError,
  createErrorFormatter,
  type ErrorDetails,
} from "./errors.js";
export {
  HttpTimeoutError,
  createHttpClient,
  type HttpRequest,
  type HttpResponse,
  type HttpClient,
} from "./http-client.js";
export { EventLoopWatch, type EventLoopWatchOptions, type EventLoopReading } from "./event-loop-watch.js";
export {
  startHttpHost,
  type RouteHandler,
  type HttpAdmission,
  type HttpHostOptions,
  type RunningHttpServer,
} from "./http-server.js";
export {
  keyset,
  timestampKey,
  countOf,
  type SortKind,
  type KeysetOrder,
  type PageRequest,
  type PageQueries,
  type Keyset,
} from "./keyset-page.js";
export { loaderById } from "./loader-by-id.js";
export { redactingErrorSerializer } from "./log-redaction.js";
export { createLogger, type Logger } from "./logger.js";
export {
  LimitReason,
  defaultOperationLimits,
  operationLimitsEnv,
  operationLimitsOf,
  type OperationLimits,
} from "./operation-limits/limits.js";
export {
  declaredListSizes,
  defaultListSize,
  connectionListFields,
  defaultPageSize,
} from "./operation-limits/list-sizes.js";
export {
  FragmentCycleError,
  measureOperation,
  type OperationMeasure,
  type Variables,
  type ListSizeOverride,
} from "./operation-limits/measure-operation.js";
export {
  OperationGuard,
  type GraphQLRequestParts,
  type AdmittedOperation,
  type OperationGuardOptions,
} from "./operation-limits/operation-guard.js";
export { OperationPool, OperationClient } from "./operation-pool.js";
export {
  MAX_PAGE_SIZE,
  encodeCursor,
  decodeCursor,
  pageSize,
  toConnection,
  likePattern,
  normalizeSearch,
  MAX_SEARCH_LENGTH,
  searchTerm,
  emptyConnection,
  type CursorKey,
  type Connection,
} from "./pagination.js";
export { uniqueViolation, isUniqueViolation } from "./pg-errors.js";
export { HEALTH_PATH, LIVENESS_PATH, LIVENESS_WINDOW_MS, livenessRoute, type LivenessOptions } from "./probe-routes.js";
export { RefusedRequest, limitExceeded, badRequest, rateLimited } from "./refusal.js";
export { requestIdFrom, runWithRequestId, currentRequestId } from "./request-context.js";
export { runService, closeAll, type Closeable } from "./run-service.js";
export { DateScalar, DateTimeScalar } from "./scalars.js";
export { HOSPITAL_TIME_ZONE, addDays, daysBetween, hospitalToday, isExpired } from "./hospital-calendar.js";
export { loadTypeDefs } from "./schema-file.js";
export { sendJson } from "./send-json.js";
export { foldedContains } from "./sql-search.js";
export { traceQueries } from "./sql-trace.js";
export { changed, changedOptional } from "./validation/changes.js";
export { WARD_CODE_LENGTH, codeText, wardCode } from "./validation/codes.js";
export { calendarDateOf } from "./validation/dates.js";
export { inputNameOf, invalidInput, invalidField, type InputName } from "./validation/invalid-field.js";
export { MAX_MONEY_CENTS, centsOf, centsToDecimal, decimalToCents, moneyInput } from "./validation/money.js";
export { intInRange } from "./validation/numbers.js";
export {
  textFault,
  inputText,
  optionalInputText,
  requiredText,
  optionalText,
  keyText,
  type TextShape,
  type TextRules,
} from "./validation/text.js";
export { uuidField } from "./validation/uuid.js";
export { isEntryPoint } from "./entry-point.js";
