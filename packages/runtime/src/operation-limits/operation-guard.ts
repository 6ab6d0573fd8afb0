import { createHash } from "node:crypto";
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { TtlLru } from "../cache/ttl-lru.js";
import { badRequest, limitExceeded, RefusedRequest } from "../refusal.js";
import { ErrorCode } from "../errors.js";
import { LimitReason, type OperationLimits } from "./limits.js";
import {
  FragmentCycleError,
  measureOperation,
  type ListSizeOverride,
  type OperationMeasure,
  type Variables,
} from "./measure-operation.js";

/** The parts of a GraphQL-over-HTTP (or graphql-ws) request the guard reads. */
export interface GraphQLRequestParts {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
  readonly extensions?: unknown;
}

export interface AdmittedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly measure: OperationMeasure;
}

interface ParsedDocument {
  readonly document: DocumentNode;
  readonly operations: readonly OperationDefinitionNode[];
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

export interface OperationGuardOptions {
  /** The schema operations run against; null while none is loaded (the guard then only parses). */
  schema: () => GraphQLSchema | null;
  limits: OperationLimits;
  /** List sizes the schema cannot tell, e.g. `_entities` by its representations. */
  listSize?: ListSizeOverride;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function persistedHash(extensions: unknown): string | undefined {
  if (typeof extensions !== "object" || extensions === null) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== "object" || persisted === null) return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

function asVariables(variables: unknown): Variables {
  return typeof variables === "object" && variables !== null && !Array.isArray(variables)
    ? (variables as Variables)
    : {};
}

/**
 * Decides, before anything runs, whether an operation may run: parsed under a token limit,
 * then measured for depth, aliases, root fields and cost against the schema. Parsed
 * documents are kept by their SHA-256 (the hash automatic persisted queries use), so a
 * screen polling the same query pays for parsing once, and a persisted-query hash is only
 * honoured for a document this guard has itself measured.
 */
export class OperationGuard {
  private readonly documents = new TtlLru<string, ParsedDocument>(500, 60 * 60_000);

  constructor(private readonly options: OperationGuardOptions) {}

  get limits(): OperationLimits {
    return this.options.limits;
  }

  /**
   * Throws a RefusedRequest for an operation that must not run. Returns undefined when the
   * request carries no usable document, which Apollo Server then answers in its own words.
   */
  admit(request: GraphQLRequestParts, limits: OperationLimits = this.options.limits): AdmittedOperation | undefined {
    const found = this.documentOf(request, limits);
    if (!found) return undefined;
    const { parsed, key } = found;
    const operation = this.operationOf(parsed, request.operationName);
    const schema = this.options.schema();
    if (!schema) return undefined;
    let measure: OperationMeasure;
    try {
      measure = measureOperation(
        schema,
        operation,
        parsed.fragments,
        asVariables(request.variables),
        this.options.listSize,
      );
    } catch (error) {
      if (error instanceof FragmentCycleError) throw badRequest(LimitReason.FRAGMENT_CYCLE, error.message);
      throw error;
    }
    if (measure.depth > limits.maxDepth)
      throw limitExceeded(LimitReason.MAX_DEPTH, measure.depth, limits.maxDepth, "depth");
    if (measure.aliases > limits.maxAliases)
      throw limitExceeded(LimitReason.MAX_ALIASES, measure.aliases, limits.maxAliases, "aliases");
    if (measure.rootFields > limits.maxRootFields) {
      throw limitExceeded(LimitReason.MAX_ROOT_FIELDS, measure.rootFields, limits.maxRootFields, "root fields");
    }
    if (measure.cost > limits.maxCost) throw limitExceeded(LimitReason.MAX_COST, measure.cost, limits.maxCost, "cost");
    // Only admitted documents are kept: refused ones cannot fill the cache.
    this.documents.set(key, parsed);
    return { document: parsed.document, operation, measure };
  }

  private documentOf(
    request: GraphQLRequestParts,
    limits: OperationLimits,
  ): { parsed: ParsedDocument; key: string } | undefined {
    const hash = persistedHash(request.extensions);
    if (typeof request.query !== "string") {
      if (hash === undefined) return undefined;
      const known = this.documents.get(hash);
      // Only documents measured here may run by hash: the client sends the text again.
      if (!known)
        throw new RefusedRequest(200, ErrorCode.BAD_USER_INPUT, "PersistedQueryNotFound", {
          reason: "PERSISTED_QUERY_NOT_FOUND",
        });
      return { parsed: known, key: hash };
    }
    const key = sha256(request.query);
    if (hash !== undefined && hash !== key) {
      throw badRequest("PERSISTED_QUERY_HASH_MISMATCH", "The persisted query's sha256Hash does not match its query");
    }
    const cached = this.documents.get(key);
    if (cached) return { parsed: cached, key };
    let document: DocumentNode;
    try {
      // Without locations: the guard never reports positions, and the tree is half the size.
      document = parse(request.query, { maxTokens: limits.maxTokens, noLocation: true });
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : "Syntax error";
      // graphql-js words it "more that N tokens" in some versions.
      if (/more th[ae][nt] \d+ tokens/.test(message)) {
        throw limitExceeded(LimitReason.MAX_TOKENS, limits.maxTokens + 1, limits.maxTokens, "tokens (at least)");
      }
      throw badRequest("GRAPHQL_PARSE_FAILED", message);
    }
    const parsed: ParsedDocument = {
      document,
      operations: document.definitions.filter(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      ),
      fragments: new Map(
        document.definitions
          .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
          .map((fragment) => [fragment.name.value, fragment]),
      ),
    };
    return { parsed, key };
  }

  private operationOf(parsed: ParsedDocument, operationName: unknown): OperationDefinitionNode {
    if (typeof operationName === "string" && operationName !== "") {
      const named = parsed.operations.find((operation) => operation.name?.value === operationName);
      if (!named) throw badRequest("UNKNOWN_OPERATION_NAME", `Unknown operation named "${operationName}"`);
      return named;
    }
    if (parsed.operations.length === 1) return parsed.operations[0]!;
    if (parsed.operations.length === 0) throw badRequest("NO_OPERATION", "The document contains no operation");
    throw badRequest(
      "OPERATION_NAME_REQUIRED",
      "The document contains several operations: name the one to run with operationName",
    );
  }
}
