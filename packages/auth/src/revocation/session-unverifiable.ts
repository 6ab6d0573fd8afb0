import { ErrorCode, SESSION_UNVERIFIABLE, SESSION_UNVERIFIABLE_MESSAGE, RefusedRequest } from "@asky/runtime";

/**
 * The revocation feed is not proven current and the users service did not answer: the
 * token is refused (errors.sessionUnverifiable) and nothing runs for the request. Fail closed.
 */
export class SessionUnverifiableError extends Error {
  constructor(cause: string) {
    super(`session unverifiable: ${cause}`);
    this.name = "SessionUnverifiableError";
  }
}

/** errors.sessionUnverifiable's answer from admission, before the body is read. */
export function sessionUnverifiableRefusal(): RefusedRequest {
  return new RefusedRequest(
    503,
    ErrorCode.INTERNAL_SERVER_ERROR,
    SESSION_UNVERIFIABLE_MESSAGE,
    { reason: SESSION_UNVERIFIABLE },
    { "retry-after": "1" },
  );
}
