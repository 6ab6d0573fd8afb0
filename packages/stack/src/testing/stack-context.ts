/**
 * The URLs and secrets of the stack that tests/global-setup.ts boots once per run, as vitest
 * hands them to test files. Importing this module (or only its types) also types vitest's
 * `inject("gatewayUrl")` etc.
 */
import { inject } from "vitest";
import type { ServiceName } from "@asky/db";
import type { ServiceId } from "../services.js";

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
  // Merged with vitest's own declaration: the keys tests/global-setup.ts provides.
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
  const headers = { authorization: `Bearer ${inject("metricsToken")}` };
  const response = await fetch(new URL("/metrics", gatewayUrl), { headers });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}
