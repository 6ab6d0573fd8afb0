import { fileURLToPath } from "node:url";
import { DEFAULT_CONNECTIONS_PER_OPERATION, DEFAULT_STATEMENT_TIMEOUT_MS } from "./database.js";
/**
 * Environment-driven configuration.
 *
 * Every service declares the variables it reads as a spec object, so that the set of
 * variables is data: the docker-compose test enumerates the specs to prove the compose
 * file sets everything, and a misconfigured process fails at start with every problem
 * listed at once instead of crashing later on the first request that touches it.
 */
export interface EnvVar<T> {
  readonly name: string;
  readonly description: string;
  /** True when the service cannot start without it (no default). */
  readonly required: boolean;
  parse(raw: string | undefined): T;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

type Options<T> = { description: string; default?: T };

function variable<T>(
  name: string,
  options: Options<T>,
  convert: (raw: string) => T,
): EnvVar<T> {
  const hasDefault = options.default !== undefined;
  return {
    name,
    description: options.description,
    required: !hasDefault,
    parse(raw) {
      if (raw === undefined || raw === "") {
        if (hasDefault) return options.default as T;
        throw new Error(`${name} is required (${options.description})`);
      }
      return convert(raw);
    },
  };
}

export const env = {
  string(name: string, options: Options<string>): EnvVar<string> {
    return variable(name, options, (raw) => raw);
  },
  port(name: string, options: Options<number>): EnvVar<number> {
    return variable(name, options, (raw) => {
      const port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`${name} must be a TCP port (0-65535), got "${raw}"`);
      }
      return port;
    });
  },
  int(name: string, options: Options<number> & { min?: number }): EnvVar<number> {
    return variable(name, options, (raw) => {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < (options.min ?? Number.MIN_SAFE_INTEGER)) {
        throw new Error(`${name} must be an integer${options.min !== undefined ? ` >= ${options.min}` : ""}, got "${raw}"`);
      }
      return value;
    });
  },
  url(name: string, options: Options<string> & { protocols: readonly string[] }): EnvVar<string> {
    return variable(name, options, (raw) => {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new Error(`${name} must be a URL, got "${raw}"`);
      }
      if (!options.protocols.includes(parsed.protocol)) {
        throw new Error(`${name} must use ${options.protocols.join(" or ")}, got "${parsed.protocol}"`);
      }
      return raw;
    });
  },
  oneOf<const T extends string>(name: string, values: readonly T[], options: Options<T>): EnvVar<T> {
    return variable(name, options, (raw) => {
      if (!(values as readonly string[]).includes(raw)) {
        throw new Error(`${name} must be one of ${values.join(", ")}, got "${raw}"`);
      }
      return raw as T;
    });
  },
};

export type ConfigSpec = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

export function loadConfig<S extends ConfigSpec>(
  spec: S,
  source: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
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
  natsUrl: env.url("NATS_URL", {
    description: "NATS server with JetStream",
    protocols: ["nats:", "tls:"],
    default: "nats://127.0.0.1:4222",
  }),
  signingJwks: env.string("SIGNING_JWKS", {
    description: "JSON key set {\"keys\":[private P-256 JWK, ...]} (or a file path holding it) this service signs with; the first signs. Required in production",
    default: "",
  }),
  keysDir: env.string("ASKY_KEYS_DIR", {
    description: "Development key store: keys are generated there on first start (ignored in production)",
    default: defaultKeysDir,
  }),
} satisfies ConfigSpec;

/** Read by the subgraphs (their pools) and by the database setup (their roles): one value for both. */
export const statementTimeoutEnv = env.int("DB_STATEMENT_TIMEOUT_MS", {
  description: "Longest a service's SQL statement may run before Postgres cancels it, in milliseconds (0: no limit)",
  default: DEFAULT_STATEMENT_TIMEOUT_MS,
  min: 0,
});

/** What every subgraph reads: the common variables, its port and its own database role. */
export function subgraphEnv(service: string, defaultPort: number) {
  return {
    ...commonEnv,
    port: env.port("PORT", { description: `${service} subgraph HTTP port`, default: defaultPort }),
    databaseUrl: env.url("DATABASE_URL", {
      description: `Postgres URL of the asky_${service} role`,
      protocols: ["postgres:", "postgresql:"],
    }),
    statementTimeoutMs: statementTimeoutEnv,
    connectionsPerOperation: env.int("DB_CONNECTIONS_PER_OPERATION", {
      description: "Connections of the pool (10) one GraphQL operation may use at once; its other statements wait for them",
      default: DEFAULT_CONNECTIONS_PER_OPERATION,
      min: 1,
    }),
    trustedJwks: env.string("TRUSTED_JWKS", {
      description: "JSON map of caller → public key set ({\"gateway\":{\"keys\":[...]}}), or a file path holding it, whose internal tokens are accepted. Required in production",
      default: "",
    }),
  } satisfies ConfigSpec;
}
