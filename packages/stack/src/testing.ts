/**
 * For test files: the URLs of the stack that tests/global-setup.ts boots once per run.
 *
 *   import { testStack } from "@asky/stack/testing";
 *   const { gatewayUrl } = testStack();
 *
 * Importing this module (or only its types) also types vitest's `inject("gatewayUrl")` etc.
 */
import { inject } from "vitest";
import type { ServiceName } from "@asky/db";
import type { ServiceId } from "./services.js";

export interface StackContext {
  /** GraphQL endpoint of the gateway, e.g. http://127.0.0.1:41234/graphql. */
  gatewayUrl: string;
  /** GraphQL endpoint of each subgraph. */
  subgraphUrls: Record<ServiceName, string>;
  /** GET /health of every service. */
  healthUrls: Record<ServiceId, string>;
  /** Superuser URL of the database (for fixtures and assertions only). */
  adminDatabaseUrl: string;
  /** Each service role's URL (what that service itself connects with). */
  serviceDatabaseUrls: Record<ServiceName, string>;
  natsUrl: string;
  /** Development key store of the test stack (tests sign internal tokens with it). */
  keysDir: string;
  /** Bearer token of the gateway's /metrics. */
  metricsToken: string;
}

declare module "vitest" {
  export interface ProvidedContext extends StackContext {}
}

/** Everything tests/global-setup.ts provided. */
export function testStack(): StackContext {
  return {
    gatewayUrl: inject("gatewayUrl"),
    subgraphUrls: inject("subgraphUrls"),
    healthUrls: inject("healthUrls"),
    adminDatabaseUrl: inject("adminDatabaseUrl"),
    serviceDatabaseUrls: inject("serviceDatabaseUrls"),
    natsUrl: inject("natsUrl"),
    keysDir: inject("keysDir"),
    metricsToken: inject("metricsToken"),
  };
}

/** GET /metrics of a gateway of the test stack, as Prometheus text. */
export async function gatewayMetrics(gatewayUrl: string): Promise<string> {
  const response = await fetch(new URL("/metrics", gatewayUrl), { headers: { authorization: `Bearer ${inject("metricsToken")}` } });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}
