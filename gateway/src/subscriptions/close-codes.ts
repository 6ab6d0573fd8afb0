/**
 * Why the gateway closes a subscription socket. 4401/4403 are graphql-ws's own; clients
 * react to 4401 by signing in again (or refreshing) and reconnecting with `after`.
 */
export const SocketClose = {
  /** Missing, invalid or expired access token. */
  unauthorized: { code: 4401, reason: "Unauthorized" },
  tokenExpired: { code: 4401, reason: "Access token expired; reconnect with a fresh one" },
  /** The users service took the session back (logout, deactivation, role change). */
  revoked: { code: 4401, reason: "Session ended; sign in again" },
  /**
   * The user already holds WS_MAX_SOCKETS_PER_USER sockets on this replica. Not 4429:
   * graphql-ws spends that on "too many connection_init messages", a client bug. Clients
   * retry it with back-off (graphql-ws does), which succeeds once another tab has closed.
   */
  tooManySockets: { code: 4430, reason: "Too many connections for this user" },
  /**
   * The client's address or user is past its request allowance (README, "Limits"); the
   * same allowance HTTP requests draw on. Clients reconnect with back-off.
   */
  rateLimited: { code: 4431, reason: "Too many requests; reconnect later" },
  /** The client stopped reading: its undelivered payloads hit the limit. */
  tooSlow: { code: 1008, reason: "Subscriber is not reading; buffer limit reached" },
  /** The gateway is shutting down; reconnect (to another replica) with `after`. */
  goingAway: { code: 1001, reason: "Gateway shutting down" },
} as const;
