/**
 * Why the gateway refuses an access token, one mapping for every way a client presents one:
 * HTTP (401 UNAUTHENTICATED), SSE (the stream's `next` error) and the WebSocket close reasons
 * name the same causes. Clients act on the reason: TOKEN_EXPIRED → refresh and retry;
 * SESSION_REVOKED → the session is over, sign in again; TOKEN_INVALID → the token was never
 * good here (forged, another audience, malformed), a refresh may still fix it when the
 * session is. SessionUnverifiableError (the revocation check could not be made) is not a
 * refusal of the token and stays the callers' own 503.
 */
import { errors as jose } from "jose";
import { AccessRevokedError } from "@asky/auth";

export type TokenRefusalReason = "TOKEN_INVALID" | "TOKEN_EXPIRED" | "SESSION_REVOKED";

export const tokenRefusalMessages: Readonly<Record<TokenRefusalReason, string>> = {
  TOKEN_INVALID: "Invalid access token",
  TOKEN_EXPIRED: "Access token expired; refresh it and retry",
  SESSION_REVOKED: "Session ended; sign in again",
};

/** The reason a failed verification of `error` gives the client. */
export function tokenRefusalReason(error: unknown): TokenRefusalReason {
  if (error instanceof AccessRevokedError) return "SESSION_REVOKED";
  if (error instanceof jose.JWTExpired) return "TOKEN_EXPIRED";
  return "TOKEN_INVALID";
}
