/**
 * Whether a refused access token is worth a refresh. The gateway says why it refused one
 * (`extensions.reason`, the same over HTTP, SSE and in WebSocket closes):
 * - TOKEN_EXPIRED: the ordinary case, refresh and retry.
 * - SESSION_REVOKED: the users service took the token back. A logout or deactivation refuses
 *   the refresh too (the session ends, onSessionEnd); a role or ward change does not, and the
 *   refreshed token carries the new claims. Only the refresh can tell them apart.
 * - TOKEN_INVALID: the token was never good at this gateway (another deployment's, forged,
 *   malformed); a refresh would not change what the client sends, so the error goes to the app.
 * - no reason: a gateway older than the reasons; refresh, as before.
 */
import type { AskyClientError } from "./errors.js";

export function refreshMayHelp(error: AskyClientError): boolean {
  if (error.code !== "UNAUTHENTICATED") return false;
  return error.reason === null || error.reason === "TOKEN_EXPIRED" || error.reason === "SESSION_REVOKED";
}
