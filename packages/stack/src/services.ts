import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serviceRegistry, subgraphNames, type ServiceId, type SubgraphName } from "@asky/contracts";
import type { ServiceName } from "@asky/db";
import { repoRoot } from "./paths.js";

/** Every process the stack runs as a Node service: the service registry's. */
export type { ServiceId };

/** The subgraphs in start order (they start in parallel, the gateway after them). */
export const subgraphIds: readonly SubgraphName[] = subgraphNames;

/** Folder of a service's workspace package. */
export function serviceDir(id: ServiceId, root = repoRoot): string {
  return id === "gateway" ? join(root, "gateway") : join(root, "subgraphs", id);
}

/** The TypeScript entry point started with `node --import tsx`. */
export function serviceEntry(id: ServiceId, root = repoRoot): string {
  return join(serviceDir(id, root), "src", "index.ts");
}

/**
 * Node flags every Asky service runs with (here and, as NODE_OPTIONS, in the Dockerfile).
 * A 64 MB young generation instead of V8's 16 MB: under createRequest load the requests
 * service ran ~380 young-generation collections per 40 s (1.2 s of pauses, some of 50–100 ms
 * on two busy cores) and the gateway ~150; with it, half as many and 40% less time in them,
 * for up to ~100 MB more memory per process under load (bench/analysis.md).
 */
export const serviceNodeFlags: readonly string[] = ["--max-semi-space-size=64"];

/** `--import` argument for tsx, resolved from this package so any working directory works. */
export function tsxImport(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}

/** Everything the stack knows that services may need in their environment. */
export interface ServiceEnvContext {
  /** Interface services bind to. */
  host: string;
  ports: Record<ServiceId, number>;
  /** Per-service Postgres role URLs (from bootstrapRoles). */
  serviceDatabaseUrls: Record<ServiceName, string>;
  natsUrl: string;
  nodeEnv: string;
  logLevel: string;
  supergraphPath: string;
  /** Development key store shared by the services of this stack (under its data folder). */
  keysDir: string;
  /** Bearer token for the gateway's /metrics. */
  metricsToken: string;
}

/** The GraphQL endpoint of a subgraph as the gateway should call it. */
export function subgraphUrl(ctx: Pick<ServiceEnvContext, "host" | "ports">, id: ServiceName): string {
  const host = ctx.host === "0.0.0.0" || ctx.host === "::" ? "127.0.0.1" : ctx.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${ctx.ports[id]}/graphql`;
}

/**
 * Variables this stack sets itself; removed from the inherited environment first so that a
 * value exported in the developer's shell (say DATABASE_URL, the admin URL) never leaks into a
 * service that should get its own.
 */
const managedVariables = [
  "PORT",
  "HOST",
  "DATABASE_URL",
  "NATS_URL",
  "LOG_LEVEL",
  "NODE_ENV",
  "SUPERGRAPH_PATH",
  ...subgraphNames.map((name) => serviceRegistry[name].urlEnvVar),
  "ASKY_KEYS_DIR",
  "SIGNING_JWKS",
  "TRUSTED_JWKS",
  // The reports service generates its webhook secret key in ASKY_KEYS_DIR, as the signing keys.
  "WEBHOOK_SECRET_KEYS",
  "USERS_JWKS_URL",
  "METRICS_TOKEN",
];

/** Where each of `names` listens, under its registry variable (`USERS_URL`...). */
function subgraphUrlVars(ctx: Pick<ServiceEnvContext, "host" | "ports">, names: readonly SubgraphName[]) {
  return Object.fromEntries(names.map((name) => [serviceRegistry[name].urlEnvVar, subgraphUrl(ctx, name)]));
}

/**
 * The complete environment of one service process: the single place where service
 * configuration is assembled. `extra` (per-service, from the caller) wins over everything.
 */
export function serviceEnv(
  id: ServiceId,
  ctx: ServiceEnvContext,
  extra: Readonly<Record<string, string>> = {},
  inherited: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inherited };
  for (const name of managedVariables) delete env[name];

  const common = {
    PORT: String(ctx.ports[id]),
    HOST: ctx.host,
    NATS_URL: ctx.natsUrl,
    LOG_LEVEL: ctx.logLevel,
    NODE_ENV: ctx.nodeEnv,
    ASKY_KEYS_DIR: ctx.keysDir,
    // Every service serves /metrics behind the same token (Prometheus scrapes them all with it).
    METRICS_TOKEN: ctx.metricsToken,
  };
  const specific: Record<string, string> =
    id === "gateway"
      ? {
          SUPERGRAPH_PATH: ctx.supergraphPath,
          ...subgraphUrlVars(ctx, subgraphNames),
        }
      : id === "requests"
        ? // The requests service checks cabinets and catalog items with the dispensers subgraph.
          { DATABASE_URL: ctx.serviceDatabaseUrls[id], ...subgraphUrlVars(ctx, ["dispensers", "users"]) }
        : id === "dispensers" || id === "reports"
          ? // All three ask the users service about a session while their revocation feed is stale.
            { DATABASE_URL: ctx.serviceDatabaseUrls[id], ...subgraphUrlVars(ctx, ["users"]) }
          : { DATABASE_URL: ctx.serviceDatabaseUrls[id] };

  return { ...env, ...common, ...specific, ...extra };
}
