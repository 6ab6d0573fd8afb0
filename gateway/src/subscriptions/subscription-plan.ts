import { createHash } from "node:crypto";
import {
  getArgumentValues,
  getOperationAST,
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
  type VariableDefinitionNode,
} from "graphql";
import { errors, type Viewer } from "@asky/common";
import type { RequestEventMessage } from "./request-event.js";
import { decodeEventCursor } from "./request-event.js";

/**
 * How one subscription operation is served. The gateway never resolves payload fields
 * itself: each event becomes a query, `requestEvent(id, cursor) { <the subscriber's
 * selection> }`, which the gateway plans and executes like any client query, so a payload
 * may reach every subgraph and every field rule holds for the subscriber.
 */
export interface SubscriptionPlan {
  readonly field: "requestStatusChanged" | "requestEvents";
  /** Response key (alias or field name) under which payloads are delivered. */
  readonly responseKey: string;
  readonly payloadQuery: string;
  /** Variables the payload query needs besides the event id and cursor. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly filter: { requestId?: string; ward?: string; dispenserId?: string };
  readonly afterSeq: number | null;
  /** Same key, same payload for the same event: the unit of fan-out. */
  readonly groupKey: string;
}

export const EVENT_ID_VARIABLE = "askyEventId";
export const CURSOR_VARIABLE = "askyEventCursor";

/** Fields whose value depends on who reads them, not only on role and ward. */
const viewerDependentFields = new Set(["User.cpf"]);

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
function usedByselection(field: FieldNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
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

function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  return typeof value === "string" ? value : undefined;
}

function touchesViewerDependentField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (parent && viewerDependentFields.has(`${parent.name}.${node.name.value}`)) found = true;
    },
  }));
  return found;
}

export function planSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variableValues: Readonly<Record<string, unknown>>,
  viewer: Viewer,
): SubscriptionPlan {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    throw errors.badUserInput("Expected a subscription operation");
  }
  const [root] = operation.selectionSet.selections;
  if (operation.selectionSet.selections.length !== 1 || root?.kind !== Kind.FIELD || root.directives?.length) {
    throw errors.badUserInput("A subscription selects exactly one root field, without directives");
  }
  const fieldName = root.name.value;
  if (fieldName !== "requestStatusChanged" && fieldName !== "requestEvents") {
    throw errors.badUserInput(`Subscription field ${fieldName} is not supported by this gateway`);
  }
  const fieldDef = schema.getSubscriptionType()?.getFields()[fieldName];
  if (!fieldDef) throw errors.badUserInput(`Subscription field ${fieldName} is not in the current schema`);
  const args = getArgumentValues(fieldDef, root, variableValues as Record<string, unknown>);

  const after = stringArg(args, "after");
  const afterSeq = after === undefined ? null : decodeEventCursor(after);
  if (after !== undefined && afterSeq === null) throw errors.badUserInput("Malformed cursor", { argument: "after" });

  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const { fragmentNames, variableNames } = usedByselection(root, fragments);
  if (variableNames.has(EVENT_ID_VARIABLE) || variableNames.has(CURSOR_VARIABLE)) {
    throw errors.badUserInput(`Variables $${EVENT_ID_VARIABLE} and $${CURSOR_VARIABLE} are reserved`);
  }
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
          ...(operation.variableDefinitions ?? []).filter((definition) => variableNames.has(definition.variable.name.value)),
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: "requestEvent" },
              arguments: [argument("id", EVENT_ID_VARIABLE), argument("cursor", CURSOR_VARIABLE)],
              ...(root.selectionSet ? { selectionSet: root.selectionSet } : {}),
            },
          ],
        },
      },
      ...[...fragmentNames].map((name) => fragments.get(name)!),
    ],
  };
  const payloadQuery = print(payloadDocument);
  const variables = Object.fromEntries([...variableNames].map((name) => [name, variableValues[name]]));
  const scope = touchesViewerDependentField(schema, payloadDocument)
    ? `${viewer.role}|${viewer.ward ?? ""}|${viewer.id}`
    : `${viewer.role}|${viewer.ward ?? ""}`;

  const filter = fieldName === "requestStatusChanged"
    ? { requestId: stringArg(args, "requestId") }
    : { ward: stringArg(args, "ward"), dispenserId: stringArg(args, "dispenserId") };
  return {
    field: fieldName,
    responseKey: root.alias?.value ?? fieldName,
    payloadQuery,
    variables,
    filter: Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)),
    afterSeq,
    groupKey: createHash("sha256").update(JSON.stringify([payloadQuery, variables, filter, scope])).digest("base64url"),
  };
}

/** Routing before any execution: the plan's arguments and the viewer's ward scope. */
export function eventMatches(plan: SubscriptionPlan, event: RequestEventMessage, viewer: Viewer): boolean {
  if (viewer.role === "NURSE" && event.ward !== viewer.ward) return false;
  const { requestId, ward, dispenserId } = plan.filter;
  if (requestId !== undefined && event.requestId !== requestId) return false;
  if (ward !== undefined && event.ward !== ward) return false;
  if (dispenserId !== undefined && event.dispenserId !== dispenserId) return false;
  return true;
}
