import { env, operationLimitsEnv } from "@asky/runtime";

/** What one client may send, before and while it is parsed (README, "Limits"). */
export const admissionEnv = {
  ...operationLimitsEnv,
  maxBodyBytes: env.int("MAX_BODY_BYTES", {
    description: "Largest request body of a signed-in client, in bytes",
    default: 262_144,
    min: 1_024,
  }),
  anonymousMaxBodyBytes: env.int("ANONYMOUS_MAX_BODY_BYTES", {
    description: "Largest request body without an access token (sign-in, refresh, logout, introspection), in bytes",
    default: 16_384,
    min: 1_024,
  }),
  anonymousMaxTokens: env.int("ANONYMOUS_MAX_QUERY_TOKENS", {
    description: "Lexical tokens of a document sent without an access token",
    default: 1_000,
    min: 100,
  }),
  addressBurst: env.int("RATE_LIMIT_ADDRESS_BURST", {
    description: "Requests one client address may send back to back, across all gateway replicas",
    default: 600,
    min: 1,
  }),
  addressPerSecond: env.int("RATE_LIMIT_ADDRESS_PER_SECOND", {
    description: "Sustained requests per second from one client address, across all gateway replicas",
    default: 100,
    min: 1,
  }),
  userBurst: env.int("RATE_LIMIT_USER_BURST", {
    description: "Requests one signed-in user may send back to back, across all gateway replicas",
    default: 200,
    min: 1,
  }),
  userPerSecond: env.int("RATE_LIMIT_USER_PER_SECOND", {
    description: "Sustained requests per second from one signed-in user, across all gateway replicas",
    default: 30,
    min: 1,
  }),
  costBurst: env.int("COST_LIMIT_USER_BURST", {
    description:
      "Operation cost (see MAX_QUERY_COST) one signed-in user may spend back to back, across all gateway replicas",
    default: 100_000,
    min: 1,
  }),
  costPerSecond: env.int("COST_LIMIT_USER_PER_SECOND", {
    description: "Sustained operation cost per second one signed-in user may spend, across all gateway replicas",
    default: 25_000,
    min: 1,
  }),
  trustedProxyHops: env.int("TRUSTED_PROXY_HOPS", {
    description:
      "Reverse proxies in front of the gateway whose X-Forwarded-For entries name the client (0: use the socket's peer)",
    default: 0,
    min: 0,
  }),
};
