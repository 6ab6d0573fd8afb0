/**
 * What goes on the wire for one operation, over HTTP, graphql-ws or SSE alike: the document's
 * text, or with `persisted` only its hash (trusted documents: the gateway runs its copy from
 * the manifest, packages/client/src/gql/persisted-documents.json).
 */
import { Kind, print, type DocumentNode, type OperationDefinitionNode } from "graphql";

// A type, not an interface: it must fit graphql-ws's Record<string, unknown> extensions.
export type PersistedQueryExtension = {
  persistedQuery: { version: 1; sha256Hash: string };
};

export interface OperationPayload {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: PersistedQueryExtension;
}

const printed = new WeakMap<DocumentNode, string>();

export function documentText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** The sha256 hex the code generator embedded (client preset, persistedDocuments); null for other documents. */
export function documentHash(document: DocumentNode): string | null {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === "string" && /^[0-9a-f]{64}$/.test(hash) ? hash : null;
}

export function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error("The document has no operation");
  return operation;
}

/** The name of the operation's first root field: where a subscription's event (and its cursor) is. */
export function rootFieldOf(document: DocumentNode): string {
  const first = operationOf(document).selectionSet.selections[0];
  if (first?.kind !== Kind.FIELD) throw new Error("The operation's first selection is not a field");
  return first.alias?.value ?? first.name.value;
}

export function declaresVariable(document: DocumentNode, name: string): boolean {
  return (
    operationOf(document).variableDefinitions?.some((definition) => definition.variable.name.value === name) ?? false
  );
}

/** By hash when asked and the document has one; by text otherwise. */
export function operationPayload(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  persisted: boolean,
): OperationPayload {
  const operationName = operationOf(document).name?.value;
  const hash = persisted ? documentHash(document) : null;
  return {
    ...(hash
      ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
      : { query: documentText(document) }),
    ...(operationName ? { operationName } : {}),
    ...(variables ? { variables } : {}),
  };
}
