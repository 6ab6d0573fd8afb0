import { GraphQLError } from "graphql";
import { SessionUnverifiableError } from "@asky/auth";
import { currentRequestId, ErrorCode, errors, SESSION_UNVERIFIABLE, SESSION_UNVERIFIABLE_MESSAGE } from "@asky/runtime";
import { SocketClose } from "../close-codes.js";
import { tokenRefusalReason, type TokenRefusalReason } from "../../token-refusal.js";

/**
 * Why an SSE stream is refused or ended, as the `next` error clients read before `complete`:
 * the event-stream counterparts of the WebSocket close codes (close-codes.ts). A client reacts
 * to UNAUTHENTICATED as to 4401 (refresh, then resubscribe with `after`).
 */
export type AuthReason = "TOKEN_MISSING" | TokenRefusalReason;

const authMessages: Record<AuthReason, string> = {
  TOKEN_MISSING: "Authorization: Bearer <access token> is required",
  TOKEN_INVALID: "Invalid access token",
  TOKEN_EXPIRED: SocketClose.tokenExpired.reason,
  SESSION_REVOKED: SocketClose.revoked.reason,
};

export function unauthenticated(reason: AuthReason): GraphQLError {
  return new GraphQLError(authMessages[reason], { extensions: { code: ErrorCode.UNAUTHENTICATED, reason } });
}

/** What a failed token check means to the client: sign in again, refresh, or retry shortly. */
export function tokenRefusal(error: unknown): GraphQLError {
  if (error instanceof SessionUnverifiableError) {
    return new GraphQLError(SESSION_UNVERIFIABLE_MESSAGE, {
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: SESSION_UNVERIFIABLE },
    });
  }
  return unauthenticated(tokenRefusalReason(error));
}

export function badRequest(reason: string, message: string): GraphQLError {
  return errors.badUserInput(message, { reason });
}

export function tooManyStreams(limit: number): GraphQLError {
  return errors.limitReached(SocketClose.tooManySockets.reason, "MAX_SOCKETS_PER_USER", { limit });
}

/** Queries and mutations belong to POST /graphql: a stream carries one subscription. */
export function subscriptionsOnly(): GraphQLError {
  return badRequest(
    "SUBSCRIPTIONS_ONLY",
    "Only subscriptions are served on /graphql/stream; send queries and mutations to /graphql",
  );
}

/** Masked as the HTTP host masks it: the correlation id finds the log line. */
export function internalError(): GraphQLError {
  return new GraphQLError("Internal server error", {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId: currentRequestId() },
  });
}
