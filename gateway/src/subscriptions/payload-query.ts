import {
  Kind,
  OperationTypeNode,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from "graphql";
import { errors } from "@asky/runtime";

export const EVENT_ID_VARIABLE = "askyEventId";
export const CURSOR_VARIABLE = "askyEventCursor";

function variableDefinition(name: string, type: string): VariableDefinitionNode {
  return {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type } } },
  };
}

function argument(name: string, variable: string) {
  return {
    kind: Kind.ARGUMENT as const,
    name: { kind: Kind.NAME as const, value: name },
    value: { kind: Kind.VARIABLE as const, name: { kind: Kind.NAME as const, value: variable } },
  };
}

/** Fragments and variables the selection uses, transitively, so the payload query stays valid. */
function usedBySelection(field: FieldNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
  const fragmentNames = new Set<string>();
  const variableNames = new Set<string>();
  const pending: Array<FieldNode | FragmentDefinitionNode> = [field];
  while (pending.length > 0) {
    visit(pending.pop()!.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] }, {
      FragmentSpread(node) {
        const fragment = fragments.get(node.name.value);
        if (fragment && !fragmentNames.has(node.name.value)) {
          fragmentNames.add(node.name.value);
          pending.push(fragment);
        }
      },
      Variable(node) {
        variableNames.add(node.name.value);
      },
    });
  }
  return { fragmentNames, variableNames };
}

export interface PayloadQuery {
  readonly document: DocumentNode;
  readonly query: string;
  /** Variables the payload query needs besides the event id and cursor. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/**
 * The query that resolves one event of a subscription as its payload:
 * `payloadField(id: $askyEventId, cursor: $askyEventCursor) { <the subscriber's selection> }`,
 * with the fragments and variables that selection uses. The gateway plans and executes it like
 * any client query, so a payload may reach every subgraph and every field rule holds for the
 * subscriber.
 */
export function payloadQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: FieldNode,
  payloadField: string,
  variableValues: Readonly<Record<string, unknown>>,
): PayloadQuery {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const { fragmentNames, variableNames } = usedBySelection(root, fragments);
  if (variableNames.has(EVENT_ID_VARIABLE) || variableNames.has(CURSOR_VARIABLE)) {
    throw errors.badUserInput(`Variables $${EVENT_ID_VARIABLE} and $${CURSOR_VARIABLE} are reserved`);
  }
  const used = (operation.variableDefinitions ?? []).filter((definition) =>
    variableNames.has(definition.variable.name.value),
  );
  const payloadDocument: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        name: { kind: Kind.NAME, value: "SubscriptionPayload" },
        variableDefinitions: [
          variableDefinition(EVENT_ID_VARIABLE, "ID"),
          variableDefinition(CURSOR_VARIABLE, "String"),
          ...used,
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: payloadField },
              arguments: [argument("id", EVENT_ID_VARIABLE), argument("cursor", CURSOR_VARIABLE)],
              ...(root.selectionSet ? { selectionSet: root.selectionSet } : {}),
            },
          ],
        },
      },
      ...[...fragmentNames].map((name) => fragments.get(name)!),
    ],
  };
  return {
    document: payloadDocument,
    query: print(payloadDocument),
    variables: Object.fromEntries([...variableNames].map((name) => [name, variableValues[name]])),
  };
}

/** Whether the document selects any of `fields` (`Type.field`), through any fragment. */
export function selectsAnyOf(schema: GraphQLSchema, document: DocumentNode, fields: ReadonlySet<string>): boolean {
  if (fields.size === 0) return false;
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && fields.has(`${parent.name}.${node.name.value}`)) found = true;
      },
    }),
  );
  return found;
}
