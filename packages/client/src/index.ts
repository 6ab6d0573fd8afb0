/**
 * @asky/client — the typed client of the Asky API for web and mobile apps (README.md).
 */
export {
  createAskyClient,
  type AskyClient,
  type AskyClientOptions,
  type CreatedRequest,
  type ExecuteOptions,
  type NewRequestInput,
} from "./client.js";
export {
  AskyClientError,
  askyErrorCodes,
  isAskyErrorCode,
  type AskyErrorCode,
  type GraphQLErrorLike,
} from "./errors.js";
export * as documents from "./documents.js";
export {
  localStorageTokens,
  memoryTokens,
  type StorageLike,
  type TokenStorage,
  type Tokens,
  type Viewer,
} from "./tokens.js";
export { defaultRefreshLock, inProcessLock, webLocks, type LockManagerLike, type RefreshLock } from "./refresh-lock.js";
export { defaultRetryPolicy, type RetryPolicy } from "./retry.js";
export type { ConnectionState, SubscriptionObserver } from "./subscriptions/resumable-subscription.js";
export type { SessionEndListener } from "./session.js";
