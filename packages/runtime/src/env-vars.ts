/**
 * Typed environment variables: each knows its name, its description and how to parse and
 * check its raw value. Kept apart from config.ts so that modules declaring their own
 * variables (operation limits, say) need not import the services' shared spec.
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

function variable<T>(name: string, options: Options<T>, convert: (raw: string) => T): EnvVar<T> {
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
        throw new Error(
          `${name} must be an integer${options.min !== undefined ? ` >= ${options.min}` : ""}, got "${raw}"`,
        );
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
