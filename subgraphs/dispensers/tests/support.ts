/**
 * Helpers for the dispensers subgraph tests: calls straight to the subgraph with an internal
 * token signed by the gateway's development key (what the gateway itself attaches), a
 * superuser pool for assertions, and spare replicas of the subgraph started on free ports.
 */
import pg from "pg";
import { inject } from "vitest";
import type {} from "@asky/stack/testing";
import { loadSigningKeys, signInternalToken, type Viewer } from "@asky/common";
import { personByEmail } from "@asky/db/seed/people";
import { dispenserId, itemId } from "@asky/db/seed/ids";
import { startReplica as startServiceReplica, type Replica } from "../../../tests/support/replica.js";

export { dispenserId, itemId };

export interface GraphQLResult<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

function viewer(email: string): Viewer {
  const person = personByEmail(email);
  return { id: person.id, role: person.role, ward: person.ward };
}

export const as = {
  admin: viewer("admin@asky.dev"),
  pharmacist: viewer("pharmacist@asky.dev"),
  tech: viewer("tech@asky.dev"),
  nurse: viewer("nurse@asky.dev"),
} as const;

const gatewayKey = loadSigningKeys({
  owner: "gateway",
  jwks: undefined,
  keysDir: inject("keysDir"),
  production: false,
}).then(([key]) => key);

export async function internalToken(who: Viewer | null): Promise<string> {
  return signInternalToken(await gatewayKey, { issuer: "gateway", audience: "dispensers", viewer: who });
}

/** POSTs one operation to a dispensers subgraph (the stack's, unless `url` is given). */
export async function call<TData = Record<string, unknown>>(
  who: Viewer | null,
  query: string,
  variables: Record<string, unknown> = {},
  options: { url?: string; requestId?: string } = {},
): Promise<GraphQLResult<TData>> {
  const response = await fetch(options.url ?? inject("subgraphUrls").dispensers, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await internalToken(who)}`,
      ...(options.requestId ? { "x-request-id": options.requestId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<TData>;
}

/** The data of a call that must succeed; fails the test with the errors otherwise. */
export async function ok<TData = Record<string, unknown>>(
  who: Viewer | null,
  query: string,
  variables: Record<string, unknown> = {},
  options: { url?: string; requestId?: string } = {},
): Promise<TData> {
  const result = await call<TData>(who, query, variables, options);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export const codeOf = (result: GraphQLResult<unknown>): unknown => result.errors?.[0]?.extensions?.code;

/** Superuser connection for fixtures and assertions only. */
export const adminPool = (): pg.Pool => new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 3 });

export const unique = (prefix: string): string => `${prefix}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

export { eventually } from "../../../tests/support/eventually.js";

export type { Replica };

/** Starts one more dispensers subgraph on a free port, with the stack's database and NATS. */
export const startReplica = (extraEnv: Record<string, string> = {}): Promise<Replica> => startServiceReplica("dispensers", extraEnv);
