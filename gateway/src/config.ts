import { fileURLToPath } from "node:url";
import { commonEnv, env, type ConfigOf } from "@asky/runtime";
import { revocationEnv } from "@asky/auth";
import { defaultGraphqlUrl, serviceRegistry, type SubgraphName } from "@asky/contracts";
import { admissionEnv } from "./admission/admission-config.js";
import { subscriptionEnv } from "./subscriptions/subscription-config.js";
import { trustedDocumentsEnv } from "./trusted-documents/trusted-documents-config.js";

const httpUrl = (name: string, defaultUrl: string, description: string) =>
  env.url(name, { description, protocols: ["http:", "https:"], default: defaultUrl });

/** A subgraph's endpoint: its registry variable (`USERS_URL`...), by default on its registry port. */
const subgraphUrl = (name: SubgraphName, description: string) =>
  httpUrl(serviceRegistry[name].urlEnvVar, defaultGraphqlUrl(name), description);

export const gatewayEnv = {
  ...commonEnv,
  ...admissionEnv,
  ...subscriptionEnv,
  ...revocationEnv,
  ...trustedDocumentsEnv,
  port: env.port("PORT", {
    description: "Gateway HTTP and WebSocket port",
    default: serviceRegistry.gateway.defaultPort,
  }),
  supergraphPath: env.string("SUPERGRAPH_PATH", {
    description: "Supergraph SDL file to serve; watched and hot-reloaded",
    default: fileURLToPath(new URL("../supergraph.graphql", import.meta.url)),
  }),
  usersUrl: subgraphUrl("users", "Users subgraph GraphQL endpoint"),
  dispensersUrl: subgraphUrl("dispensers", "Dispensers subgraph GraphQL endpoint"),
  requestsUrl: subgraphUrl("requests", "Requests subgraph GraphQL endpoint"),
  reportsUrl: subgraphUrl("reports", "Reports subgraph GraphQL endpoint"),
  subgraphTimeoutMs: env.int("SUBGRAPH_TIMEOUT_MS", {
    description: "How long one call to a subgraph may take before the client gets SUBGRAPH_UNAVAILABLE",
    default: 10_000,
    min: 1,
  }),
  usersJwksUrl: httpUrl(
    "USERS_JWKS_URL",
    "",
    "JWKS of the users service that signs access tokens (default: /.well-known/jwks.json next to USERS_URL)",
  ),
  introspection: env.oneOf("INTROSPECTION", ["auto", "on", "off"], {
    description: "Schema introspection for clients: auto is on except with NODE_ENV=production",
    default: "auto",
  }),
};

export type GatewayConfig = ConfigOf<typeof gatewayEnv>;

/** Where access-token keys are published: configured, or next to the users subgraph. */
export function usersJwksUrlOf(config: GatewayConfig): string {
  return config.usersJwksUrl || new URL("/.well-known/jwks.json", config.usersUrl).toString();
}

export function subgraphUrlsOf(config: GatewayConfig): Record<string, string> {
  return {
    users: config.usersUrl,
    dispensers: config.dispensersUrl,
    requests: config.requestsUrl,
    reports: config.reportsUrl,
  };
}
