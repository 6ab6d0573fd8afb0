import { fileURLToPath } from "node:url";
import { commonEnv, env, type ConfigOf } from "@asky/common";
import { subgraphs } from "./subgraphs.js";
import { subscriptionEnv } from "./subscriptions/subscription-config.js";

const httpUrl = (name: string, defaultUrl: string, description: string) =>
  env.url(name, { description, protocols: ["http:", "https:"], default: defaultUrl });

export const gatewayEnv = {
  ...commonEnv,
  ...subscriptionEnv,
  port: env.port("PORT", { description: "Gateway HTTP and WebSocket port", default: 4000 }),
  supergraphPath: env.string("SUPERGRAPH_PATH", {
    description: "Supergraph SDL file to serve; watched and hot-reloaded",
    default: fileURLToPath(new URL("../supergraph.graphql", import.meta.url)),
  }),
  usersUrl: httpUrl("USERS_URL", subgraphs[0]!.defaultUrl, "Users subgraph GraphQL endpoint"),
  dispensersUrl: httpUrl("DISPENSERS_URL", subgraphs[1]!.defaultUrl, "Dispensers subgraph GraphQL endpoint"),
  requestsUrl: httpUrl("REQUESTS_URL", subgraphs[2]!.defaultUrl, "Requests subgraph GraphQL endpoint"),
  usersJwksUrl: httpUrl(
    "USERS_JWKS_URL",
    "",
    "JWKS of the users service that signs access tokens (default: /.well-known/jwks.json next to USERS_URL)",
  ),
};

export type GatewayConfig = ConfigOf<typeof gatewayEnv>;

/** Where access-token keys are published: configured, or next to the users subgraph. */
export function usersJwksUrlOf(config: GatewayConfig): string {
  return config.usersJwksUrl || new URL("/.well-known/jwks.json", config.usersUrl).toString();
}

export function subgraphUrlsOf(config: GatewayConfig): Record<string, string> {
  return { users: config.usersUrl, dispensers: config.dispensersUrl, requests: config.requestsUrl };
}
