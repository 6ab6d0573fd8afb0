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

function checkUrl(name: string, raw: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new Error(`${name} must use ${protocols.join(" or ")}, got "${parsed.protocol}"`);
  }
  return raw;
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
  int(name: string, options: Options<number> & { min?: number; max?: number }): EnvVar<number> {
    const { min, max } = options;
    const range =
      min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
          ? ` >= ${min}`
          : max !== undefined
            ? ` <= ${max}`
            : "";
    return variable(name, options, (raw) => {
      const value = Number(raw);
      if (
        !Number.isInteger(value) ||
        value < (min ?? Number.MIN_SAFE_INTEGER) ||
        value > (max ?? Number.MAX_SAFE_INTEGER)
      ) {
        throw new Error(`${name} must be an integer${range}, got "${raw}"`);
      }
      return value;
    });
  },
  url(name: string, options: Options<string> & { protocols: readonly string[] }): EnvVar<string> {
    return variable(name, options, (raw) => checkUrl(name, raw, options.protocols));
  },
  /**
   * Several URLs, comma-separated (`nats://a:4222,nats://b:4222`), each checked as `url`
   * checks one: the seeds a client may reach a cluster through. An empty entry (a stray
   * comma) is an error rather than skipped, as it is most likely a value cut short. The
   * default is written as the variable would be, and checked the same way.
   */
  urlList(name: string, options: Options<string> & { protocols: readonly string[] }): EnvVar<readonly string[]> {
    const parse = (raw: string): readonly string[] =>
      raw.split(",").map((entry, index, entries) => {
        const url = entry.trim();
        const which = entries.length > 1 ? ` (entry ${index + 1} of "${raw}")` : "";
        if (url === "") throw new Error(`${name} has an empty entry${which}; separate URLs with single commas`);
        return checkUrl(`${name}${which}`, url, options.protocols);
      });
    const { default: fallback, ...rest } = options;
    return variable(name, fallback === undefined ? rest : { ...rest, default: parse(fallback) }, parse);
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
