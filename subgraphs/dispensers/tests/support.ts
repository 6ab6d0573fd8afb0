/**
 * Helpers for the dispensers subgraph tests, over the shared harness (@asky/stack/testing):
 * calls straight to the subgraph as the demo accounts with an internal token signed by the
 * gateway's development key (what the gateway itself attaches), a superuser pool for
 * assertions, and spare replicas of the subgraph started on free ports.
 */
import pg from "pg";
import { inject } from "vitest";
import type { Viewer } from "@asky/contracts";
import { dispenserId, itemId } from "@asky/db/seed/ids";
import {
  asSubgraph,
  demoViewer,
  internalToken as internalTokenOf,
  startReplica as startServiceReplica,
  type GraphQLResponse,
  type Replica,
} from "@asky/stack/testing";

export { dispenserId, itemId };
export { codeOf, eventually } from "@asky/stack/testing";

export type GraphQLResult<TData> = GraphQLResponse<TData>;

export const as = {
  admin: demoViewer("admin@asky.dev"),
  pharmacist: demoViewer("pharmacist@asky.dev"),
  tech: demoViewer("tech@asky.dev"),
  nurse: demoViewer("nurse@asky.dev"),
} as const;

export const internalToken = (who: Viewer | null): Promise<string> => internalTokenOf("dispensers", who);

/** POSTs one operation to a dispensers subgraph (the stack's, unless `url` is given). */
export function call<TData = Record<string, unknown>>(
  who: Viewer | null,
  query: string,
  variables: Record<string, unknown> = {},
  options: { url?: string; requestId?: string } = {},
): Promise<GraphQLResult<TData>> {
  return asSubgraph("dispensers", who, options).call<TData>(query, variables, options);
}

/** The data of a call that must succeed; fails the test with the errors otherwise. */
export function ok<TData = Record<string, unknown>>(
  who: Viewer | null,
  query: string,
  variables: Record<string, unknown> = {},
  options: { url?: string; requestId?: string } = {},
): Promise<TData> {
  return asSubgraph("dispensers", who, options).ok<TData>(query, variables, options);
}

/** Superuser connection for fixtures and assertions only. */
export const adminPool = (): pg.Pool => new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 3 });

export const unique = (prefix: string): string => `${prefix}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

export type { Replica };

/** Starts one more dispensers subgraph on a free port, with the stack's database and NATS. */
export const startReplica = (extraEnv: Record<string, string> = {}): Promise<Replica> =>
  startServiceReplica("dispensers", extraEnv);
