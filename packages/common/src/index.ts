export * from "./config.js";
export * from "./database.js";
export * from "./errors.js";
export * from "./http-server.js";
export * from "./logger.js";
export * from "./nats.js";
export * from "./request-context.js";
export * from "./run-service.js";
export * from "./subgraph-server.js";
export * from "./service/index.js";
export * from "./pagination.js";
export * from "./cursor-sort-keys.js";
export {
  calendarDateOf,
  centsOf,
  centsToDecimal,
  changed,
  changedOptional,
  codeText,
  decimalToCents,
  inputNameOf,
  inputText,
  intInRange,
  invalidField,
  invalidInput,
  keyText,
  MAX_MONEY_CENTS,
  moneyInput,
  optionalInputText,
  optionalText,
  requiredText,
  textFault,
  uuidField,
  WARD_CODE_LENGTH,
  wardCode,
  type InputName,
  type TextRules,
  type TextShape,
} from "./validation/index.js";
export {
  countOf,
  keyset,
  timestampKey,
  type Keyset,
  type KeysetOrder,
  type PageQueries,
  type PageRequest,
  type SortKind,
} from "./keyset-page.js";
export { assertNever } from "./assert-never.js";
export { isUniqueViolation, uniqueViolation } from "./pg-errors.js";
export * from "./scalars.js";
export * from "./sql-search.js";
export * from "./viewer.js";
export * from "./schema-file.js";
export * from "./loader-by-id.js";
export * from "./auth/index.js";
export * from "./events/index.js";
export * from "./system-actor.js";
export * from "./uuid.js";
export * from "./http-client.js";
export * from "./cache/ttl-lru.js";
export * from "./cache/dispensers-invalidation.js";
export * from "./refusal.js";
export * from "./operation-limits/index.js";
export * from "./revocation/index.js";
