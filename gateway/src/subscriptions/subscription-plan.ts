import { createHash } from "node:crypto";
import { getArgumentValues, getOperationAST, Kind, OperationTypeNode } from "graphql";
import type { DocumentNode, GraphQLSchema } from "graphql";
import { errors } from "@asky/runtime";
import { type Viewer } from "@asky/contracts";
import { decodeEventCursor } from "./event-cursor.js";
import { payloadQuery, selectsAnyOf } from "./payload-query.js";
import type { FieldFilter, SubscriptionField } from "./subscription-field.js";
import type { SubscriptionRegistry } from "./subscription-registry.js";

/**
 * How one subscription operation is served. The gateway never resolves payload fields
 * itself: each event becomes a query, `<field's payloadField>(id, cursor) { <the subscriber's
 * selection> }`, which the gateway plans and executes like any client query.
 */
export interface SubscriptionPlan {
  readonly field: SubscriptionField;
  /** Response key (alias or field name) under which payloads are delivered. */
  readonly responseKey: string;
  readonly payloadQuery: string;
  /** Variables the payload query needs besides the event id and cursor. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly filter: FieldFilter;
  readonly afterSeq: number | null;
  /** Same key, same payload for the same event: the unit of fan-out. */
  readonly groupKey: string;
}

function filterOf(field: SubscriptionField, args: Record<string, unknown>): FieldFilter {
  const entries = field.filterArguments.flatMap((name) => {
    const value = args[name];
    return typeof value === "string" ? [[name, value] as const] : [];
  });
  return Object.fromEntries(entries);
}

export function planSubscription(
  registry: SubscriptionRegistry,
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
  const field = registry.fields.get(fieldName);
  if (!field) throw errors.badUserInput(`Subscription field ${fieldName} is not supported by this gateway`);
  const fieldDef = schema.getSubscriptionType()?.getFields()[fieldName];
  if (!fieldDef) throw errors.badUserInput(`Subscription field ${fieldName} is not in the current schema`);
  const args = getArgumentValues(fieldDef, root, variableValues as Record<string, unknown>);

  const after = typeof args.after === "string" ? args.after : undefined;
  const afterSeq = after === undefined ? null : decodeEventCursor(after);
  if (after !== undefined && afterSeq === null) throw errors.badUserInput("Malformed cursor", { argument: "after" });

  const payload = payloadQuery(document, operation, root, field.payloadField, variableValues);
  // Subscribers who would be answered alike share one resolution: same role and ward, and the
  // same person when the payload reads something only its reader may see of themselves.
  const scope = selectsAnyOf(schema, payload.document, registry.viewerDependentFields)
    ? `${viewer.role}|${viewer.ward ?? ""}|${viewer.id}`
    : `${viewer.role}|${viewer.ward ?? ""}`;
  const filter = filterOf(field, args);
  return {
    field,
    responseKey: root.alias?.value ?? fieldName,
    payloadQuery: payload.query,
    variables: payload.variables,
    filter,
    afterSeq,
    groupKey: createHash("sha256")
      .update(JSON.stringify([fieldName, payload.query, payload.variables, filter, scope]))
      .digest("base64url"),
  };
}
