import { fileURLToPath } from "node:url";
import { DEFAULT_STATEMENT_TIMEOUT_MS } from "./database.js";
import { ConfigError, env, type EnvVar } from "./env-vars.js";
import { LIVENESS_PATH, LIVENESS_WINDOW_MS } from "./probe-routes.js";
/**
 * Environment-driven configuration.
 *
 * Every service declares the variables it reads as a spec object, so that the set of
 * variables is data: the docker-compose test enumerates the specs to prove the compose
 * file sets everything, and a misconfigured process fails at start with every problem
 * listed at once instead of crashing later on the first request that touches it.
 */
export { ConfigError, env, type EnvVar };

export type ConfigSpec = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

export function loadConfig<S extends ConfigSpec>(spec: S, source: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(spec)) {
    try {
      config[key] = variable.parse(source[variable.name]);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ConfigOf<S>;
}

/**
 * Far longer than any garbage-collection pause or burst of synchronous work of a healthy
 * service (an operation costs a few milliseconds of CPU, bench/RESULTS.md), so that a service
 * that is only overloaded is not restarted for it: a restart would move its load to the others.
 */
const DEFAULT_LIVENESS_MAX_EVENT_LOOP_DELAY_MS = 5_000;

/** Variables every service reads; each service spreads this into its own spec. */
const defaultKeysDir = fileURLToPath(new URL("../../../.data/keys", import.meta.url));

export const commonEnv = {
  host: env.string("HOST", { description: "Interface to listen on", default: "127.0.0.1" }),
  logLevel: env.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    description: "Minimum log level",
    default: "info",
  }),
  nodeEnv: env.oneOf("NODE_ENV", ["development", "production", "test"], {
    description: "Runtime mode; production refuses development-only conveniences",
    default: "development",
  }),
  natsUrls: env.urlList("NATS_URL", {
    description:
      "NATS server with JetStream, or several members of one JetStream cluster comma-separated (nats://a:4222,nats://b:4222): the client seeds from any that answers and learns the others from it",
    protocols: ["nats:", "tls:"],
    default: "nats://127.0.0.1:4222",
  }),
  natsStreamReplicas: env.int("NATS_STREAM_REPLICAS", {
    description:
      "Copies JetStream keeps of the ASKY stream (1-5). 1 for a single nats-server; 3 on a JetStream cluster of 3, which then keeps every event and keeps serving with one broker down. A start with more replicas than the stream has scales it up; fewer never scales it down (logged), so services started with different values cannot flap it. More than 1 on a server that is not clustered fails the start",
    default: 1,
    min: 1,
    max: 5,
  }),
  signingJwks: env.string("SIGNING_JWKS", {
    description:
      'JSON key set {"keys":[private P-256 JWK, ...]} (or a file path holding it) this service signs with; the first signs. Required in production',
    default: "",
  }),
  keysDir: env.string("ASKY_KEYS_DIR", {
    description: "Development key store: keys are generated there on first start (ignored in production)",
    default: defaultKeysDir,
  }),
  livenessMaxEventLoopDelayMs: env.int("LIVENESS_MAX_EVENT_LOOP_DELAY_MS", {
    description: `Longest the event loop may have been blocked within the last ${LIVENESS_WINDOW_MS / 1000} s for ${LIVENESS_PATH} to answer 200 rather than 503 (stalled), in milliseconds; 0: ${LIVENESS_PATH} answers 200 whenever the process answers at all`,
    default: DEFAULT_LIVENESS_MAX_EVENT_LOOP_DELAY_MS,
    min: 0,
  }),
  metricsToken: env.string("METRICS_TOKEN", {
    description: "Bearer token /metrics requires (Prometheus' authorization); without one /metrics is not served",
    default: "",
  }),
} satisfies ConfigSpec;

/** Read by the subgraphs (their pools) and by the database setup (their roles): one value for both. */
export const statementTimeoutEnv = env.int("DB_STATEMENT_TIMEOUT_MS", {
  description: "Longest a service's SQL statement may run before Postgres cancels it, in milliseconds (0: no limit)",
  default: DEFAULT_STATEMENT_TIMEOUT_MS,
  min: 0,
});
