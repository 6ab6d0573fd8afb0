/**
 * What a request says about itself: `extensions.persistedQuery { version: 1, sha256Hash }`
 * (Apollo's APQ shape, which the SDK and most GraphQL clients send) and/or the query text.
 * Everything here arrives from the network as JSON of any shape, so nothing is assumed.
 */
export type PersistedQuery =
  | { readonly kind: "absent" }
  | { readonly kind: "invalid"; readonly reason: PersistedQueryProblem; readonly message: string }
  | { readonly kind: "hash"; readonly sha256Hash: string };

export type PersistedQueryProblem = "PERSISTED_QUERY_INVALID" | "PERSISTED_QUERY_VERSION_UNSUPPORTED";

const HEX_64 = /^[0-9a-fA-F]{64}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (message: string): PersistedQuery => ({ kind: "invalid", reason: "PERSISTED_QUERY_INVALID", message });

/** The persisted-query extension of a request's `extensions`, checked for shape. */
export function persistedQueryOf(extensions: unknown): PersistedQuery {
  // Extensions that are not an object carry no persisted query; Apollo Server refuses them itself.
  if (!isObject(extensions) || !("persistedQuery" in extensions)) return { kind: "absent" };
  const persisted = extensions.persistedQuery;
  if (persisted === undefined || persisted === null) return { kind: "absent" };
  if (!isObject(persisted)) return invalid("extensions.persistedQuery must be an object { version: 1, sha256Hash }");
  if (persisted.version !== 1) {
    return {
      kind: "invalid",
      reason: "PERSISTED_QUERY_VERSION_UNSUPPORTED",
      message: "Only version 1 of extensions.persistedQuery is supported",
    };
  }
  const hash = persisted.sha256Hash;
  // Never echoed back: a megabyte "hash" is not something to copy into a response or a log.
  if (typeof hash !== "string" || !HEX_64.test(hash)) {
    return invalid("extensions.persistedQuery.sha256Hash must be the 64 hex digits of a SHA-256");
  }
  return { kind: "hash", sha256Hash: hash.toLowerCase() };
}

/**
 * The query text, when there is one. An empty string counts as none: graphql-ws requires
 * `query` to be a string, so a subscribe by hash sends "".
 */
export function queryTextOf(query: unknown): string | undefined | { readonly notText: true } {
  if (query === undefined || query === null || query === "") return undefined;
  return typeof query === "string" ? query : { notText: true };
}

/** `extensions` without `persistedQuery`, for the engine that runs the resolved text. */
export function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isObject(extensions)) return undefined;
  const { persistedQuery: _persistedQuery, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
