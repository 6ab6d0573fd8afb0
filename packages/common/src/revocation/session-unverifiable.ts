import { GraphQLError } from "graphql";
import { ErrorCode, RefusedRequest } from "@asky/common";

/** `extensions.reason` when an access token could be revoked and nobody can say it is not. */
export const SESSION_UNVERIFIABLE = "SESSION_UNVERIFIABLE";

const message = "Your session cannot be verified right now; try again shortly";

/**
 * The revocation feed is not proven current and the users service did not answer. The token
 * may well be good, so this is not UNAUTHENTICATED (which tells a client to drop its tokens and
 * sign in again, against the very service that is not answering): it is a 503 the client
 * retries, like SUBGRAPH_UNAVAILABLE. Nothing runs for the request meanwhile: fail closed.
 */
export class SessionUnverifiableError extends Error {
  constructor(cause: string) {
    super(`session unverifiable: ${cause}`);
    this.name = "SessionUnverifiableError";
  }
}

/** From the GraphQL context, for a request admission let through a moment earlier. */
export function sessionUnverifiable(): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: SESSION_UNVERIFIABLE, http: { status: 503 } } });
}

/** The same answer from admission, before the body is read. */
export function sessionUnverifiableRefusal(): RefusedRequest {
  return new RefusedRequest(503, ErrorCode.INTERNAL_SERVER_ERROR, message, { reason: SESSION_UNVERIFIABLE }, { "retry-after": "1" });
}
