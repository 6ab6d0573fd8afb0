import { env, type ConfigOf } from "@asky/runtime";

/**
 * What one client may hold open on a gateway process (README, "Live status: subscriptions"),
 * over WebSockets and SSE streams alike (the WS_ names predate the streams).
 * The per-user counts are kept by each replica for its own sockets: behind a load balancer a
 * user may hold these numbers on every replica.
 */
export const subscriptionEnv = {
  maxSocketsPerUser: env.int("WS_MAX_SOCKETS_PER_USER", {
    description:
      "Connections (WebSockets and SSE streams together) one user may hold open on one gateway replica; the next socket is closed with 4430, the next stream refused with MAX_SOCKETS_PER_USER",
    default: 16,
    min: 1,
  }),
  maxSubscriptionsPerSocket: env.int("WS_MAX_SUBSCRIPTIONS_PER_SOCKET", {
    description: "Subscriptions open at once on one WebSocket; more are refused (MAX_SUBSCRIPTIONS_PER_SOCKET)",
    default: 50,
    min: 1,
  }),
  maxSubscriptionsPerUser: env.int("WS_MAX_SUBSCRIPTIONS_PER_USER", {
    description:
      "Subscriptions open at once for one user across their WebSockets on one gateway replica; more are refused (MAX_SUBSCRIPTIONS_PER_USER)",
    default: 600,
    min: 1,
  }),
  maxBufferedBytesPerSocket: env.int("WS_MAX_BUFFERED_BYTES", {
    description:
      "Subscription payload bytes a WebSocket or SSE stream may have waiting in the gateway before its client is cut off as not reading (a socket closed with 1008, a stream ended without complete)",
    default: 4 * 1024 * 1024,
    min: 64 * 1024,
  }),
  pingIntervalSeconds: env.int("WS_PING_INTERVAL_SECONDS", {
    description:
      "Seconds between pings to each WebSocket client (one that leaves a ping unanswered until the next is dropped) and between comment pings on each idle SSE stream",
    default: 12,
    min: 1,
  }),
  replayMaxEvents: env.int("SUBSCRIPTION_REPLAY_MAX_EVENTS", {
    description: "Events of its field a resume (`after`) may have missed; past that it ends with RESYNC_REQUIRED",
    default: 1_000,
    min: 0,
  }),
  replayMaxAgeSeconds: env.int("SUBSCRIPTION_REPLAY_MAX_AGE_SECONDS", {
    description:
      "Age in seconds of the oldest event a subscription resuming with `after` may have missed; past that it ends with RESYNC_REQUIRED",
    default: 1_800,
    min: 0,
  }),
  replaysPerUser: env.int("SUBSCRIPTION_REPLAYS_PER_USER", {
    description: "Resume replays of one user that run at once on one gateway replica; the others wait their turn",
    default: 2,
    min: 1,
  }),
};

export type SubscriptionLimits = ConfigOf<typeof subscriptionEnv>;
