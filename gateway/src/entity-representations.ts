import type { RemoteGraphQLDataSource } from "@apollo/gateway";

type Variables = Record<string, unknown>;
/** What a data source's process() resolves to. */
type GraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource["process"]>>;

/**
 * De-duplicates the `representations` of an `_entities` fetch. Returns null when there is
 * nothing to collapse; otherwise the variables to send and `expand`, which turns the answer
 * for the unique representations back into one entry per original representation: a copy
 * for every repeat (the gateway merges into and rewrites each entry in place), and each
 * `_entities` error repeated at every position it stands for.
 */
export function collapseRepresentations(variables: Variables | undefined): {
  variables: Variables;
  expand(response: GraphQLResponse): GraphQLResponse;
} | null {
  const representations = variables?.representations;
  if (!Array.isArray(representations) || representations.length < 2) return null;
  const slotOf = new Map<string, number>();
  const unique: unknown[] = [];
  const slots: number[] = [];
  for (const representation of representations) {
    const key = JSON.stringify(representation);
    let slot = slotOf.get(key);
    if (slot === undefined) {
      slot = unique.length;
      slotOf.set(key, slot);
      unique.push(representation);
    }
    slots.push(slot);
  }
  if (unique.length === representations.length) return null;

  return {
    variables: { ...variables, representations: unique },
    expand(response) {
      const data = response.data as { _entities?: unknown } | null | undefined;
      const received = data?._entities;
      if (!Array.isArray(received) || received.length !== unique.length) return response;
      const seen = new Set<number>();
      const entities = slots.map((slot) => {
        const entity: unknown = received[slot];
        if (!seen.has(slot)) {
          seen.add(slot);
          return entity;
        }
        return entity === null || typeof entity !== "object" ? entity : structuredClone(entity);
      });
      const errors = response.errors?.flatMap((error) => {
        const [root, index, ...rest] = error.path ?? [];
        if (root !== "_entities" || typeof index !== "number") return [error];
        return slots.flatMap((slot, position) =>
          slot === index ? [{ ...error, path: [root, position, ...rest] }] : [],
        );
      });
      return { ...response, data: { ...data, _entities: entities }, ...(errors ? { errors } : {}) };
    },
  };
}
