import { env } from "../env-vars.js";
import type { ConfigOf } from "../config.js";

/**
 * What one GraphQL operation may ask for, checked before anything executes. Each limit
 * bounds a different way a small document becomes a large amount of work: nesting (depth),
 * repetition (aliases, root fields) and multiplication through lists (cost).
 */
export interface OperationLimits {
  /** Deepest chain of nested field selections, fragments expanded. */
  readonly maxDepth: number;
  /** Aliased fields in the operation, fragments expanded. */
  readonly maxAliases: number;
  /** Fields selected at the root of the operation. */
  readonly maxRootFields: number;
  /** Estimated field resolutions: every field counts once per object it may be resolved on. */
  readonly maxCost: number;
  /** Lexical tokens the parser reads before giving up. */
  readonly maxTokens: number;
}

/** Why an operation was refused; clients read it from `extensions.reason`. */
export enum LimitReason {
  MAX_DEPTH = "MAX_DEPTH",
  MAX_ALIASES = "MAX_ALIASES",
  MAX_ROOT_FIELDS = "MAX_ROOT_FIELDS",
  MAX_COST = "MAX_COST",
  MAX_TOKENS = "MAX_TOKENS",
  MAX_BODY_BYTES = "MAX_BODY_BYTES",
  FRAGMENT_CYCLE = "FRAGMENT_CYCLE",
}

/**
 * The defaults let every operation of the README, the explorer, the test suite and the
 * benchmarks through with room to spare (the largest of them measure depth 9 and cost
 * about 7,000), while the attacks that took the first version down measure depth 14+ or a
 * cost in the millions.
 */
export const defaultOperationLimits: OperationLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxRootFields: 20,
  maxCost: 25_000,
  maxTokens: 5_000,
};

/** The limits as environment variables, spread into a service's config spec. */
export const operationLimitsEnv = {
  maxDepth: env.int("MAX_QUERY_DEPTH", {
    description: "Deepest nesting of fields an operation may select",
    default: defaultOperationLimits.maxDepth,
    min: 1,
  }),
  maxAliases: env.int("MAX_QUERY_ALIASES", {
    description: "Aliased fields an operation may use",
    default: defaultOperationLimits.maxAliases,
    min: 0,
  }),
  maxRootFields: env.int("MAX_QUERY_ROOT_FIELDS", {
    description: "Root fields one operation may select",
    default: defaultOperationLimits.maxRootFields,
    min: 1,
  }),
  maxCost: env.int("MAX_QUERY_COST", {
    description: "Estimated field resolutions (list sizes multiplied) an operation may cost",
    default: defaultOperationLimits.maxCost,
    min: 1,
  }),
  maxTokens: env.int("MAX_QUERY_TOKENS", {
    description: "Lexical tokens of a GraphQL document the parser reads before refusing it",
    default: defaultOperationLimits.maxTokens,
    min: 100,
  }),
};

export function operationLimitsOf(config: ConfigOf<typeof operationLimitsEnv>): OperationLimits {
  return {
    maxDepth: config.maxDepth,
    maxAliases: config.maxAliases,
    maxRootFields: config.maxRootFields,
    maxCost: config.maxCost,
    maxTokens: config.maxTokens,
  };
}
