import { serviceRegistry, type SubgraphName } from "@asky/contracts";
import {
  commonEnv,
  statementTimeoutEnv,
  type ConfigSpec,
  DEFAULT_CONNECTIONS_PER_OPERATION,
  env,
  operationLimitsEnv,
} from "@asky/runtime";
import { revocationEnv } from "@asky/auth";

/** Configuration every subgraph reads (`subgraphEnv` declares the variables behind it). */
export interface SubgraphServiceConfig {
  readonly natsUrls: readonly string[];
  readonly natsStreamReplicas: number;
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: "development" | "production" | "test";
  readonly signingJwks: string;
  readonly trustedJwks: string;
  readonly keysDir: string;
  readonly livenessMaxEventLoopDelayMs: number;
  readonly metricsToken: string;
  readonly statementTimeoutMs: number;
  readonly connectionsPerOperation: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  readonly watermarkIntervalMs: number;
  readonly feedMaxAgeMs: number;
  readonly sessionCheckCacheMs: number;
  readonly sessionCheckTimeoutMs: number;
}

/** What every subgraph reads: the common variables, its port (by default the registry's) and its own database role. */
export function subgraphEnv(service: SubgraphName) {
  const defaultPort = serviceRegistry[service].defaultPort;
  return {
    ...commonEnv,
    port: env.port("PORT", { description: `${service} subgraph HTTP port`, default: defaultPort }),
    databaseUrl: env.url("DATABASE_URL", {
      description: `Postgres URL of the asky_${service} role`,
      protocols: ["postgres:", "postgresql:"],
    }),
    statementTimeoutMs: statementTimeoutEnv,
    connectionsPerOperation: env.int("DB_CONNECTIONS_PER_OPERATION", {
      description:
        "Connections of the pool (10) one GraphQL operation may use at once; its other statements wait for them",
      default: DEFAULT_CONNECTIONS_PER_OPERATION,
      min: 1,
    }),
    trustedJwks: env.string("TRUSTED_JWKS", {
      description:
        'JSON map of caller → public key set ({"gateway":{"keys":[...]}}), or a file path holding it, whose internal tokens are accepted. Required in production',
      default: "",
    }),
    ...operationLimitsEnv,
    // A person's internal token is held to their revocations here too (README, "Revocation fails closed").
    ...revocationEnv,
  } satisfies ConfigSpec;
}
