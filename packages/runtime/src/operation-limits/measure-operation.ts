import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type FieldNode,
} from "graphql";
import { assertNever } from "../assert-never.js";
import { connectionListFields, declaredListSizes, defaultListSize, defaultPageSize } from "./list-sizes.js";

/** What an operation would cost if executed, measured on its document alone. */
export interface OperationMeasure {
  /** Deepest chain of nested fields. */
  depth: number;
  /** Aliased fields, counted once per place a fragment is spread. */
  aliases: number;
  /** Fields selected at the root. */
  rootFields: number;
  /** Upper bound of field resolutions: each field once per object it may be resolved on. */
  cost: number;
}

/** A selection's measure per object it is resolved on. */
interface SetMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

export class FragmentCycleError extends Error {
  constructor(readonly fragment: string) {
    super(`Fragment "${fragment}" spreads itself`);
  }
}

export type Variables = Readonly<Record<string, unknown>>;

/** Sizes the estimate gives list fields the schema does not page (e.g. `_entities`). */
export type ListSizeOverride = (parent: string, field: FieldNode, variables: Variables) => number | undefined;

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Variables;
  readonly listSize: ListSizeOverride | undefined;
  /** Fragment measures by name and page size: each fragment is measured once, however often it is spread. */
  readonly memo: Map<string, SetMeasure>;
  readonly inProgress: Set<string>;
}

function argumentValue(
  field: FieldNode,
  definition: GraphQLField<unknown, unknown> | undefined,
  name: string,
  variables: Variables,
): unknown {
  const node = field.arguments?.find((argument) => argument.name.value === name);
  const declared = definition?.args.find((argument) => argument.name === name);
  if (!node) return declared?.defaultValue;
  if (node.value.kind === Kind.VARIABLE) return variables[node.value.name.value] ?? declared?.defaultValue;
  return declared ? valueFromAST(node.value, declared.type, variables) : undefined;
}

/** The page size a connection field asks for; anything not a sane integer counts as the maximum. */
function pageSizeOf(
  field: FieldNode,
  definition: GraphQLField<unknown, unknown> | undefined,
  variables: Variables,
): number {
  const first =
    argumentValue(field, definition, "first", variables) ?? argumentValue(field, definition, "last", variables);
  return typeof first === "number" && Number.isInteger(first) && first >= 0
    ? Math.min(first, defaultPageSize)
    : defaultPageSize;
}

function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  let current = getNullableType(type);
  while (isListType(current)) {
    depth += 1;
    current = getNullableType(current.ofType);
  }
  return depth;
}

function fieldDefinition(
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
}

function measureSet(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
  pageSize: number,
): SetMeasure {
  const total: SetMeasure = { depth: 0, aliases: 0, cost: 0 };
  const add = (part: SetMeasure) => {
    total.depth = Math.max(total.depth, part.depth);
    total.aliases += part.aliases;
    total.cost += part.cost;
  };
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        add(measureField(walk, selection, parent, pageSize));
        break;
      case Kind.INLINE_FRAGMENT: {
        const condition = selection.typeCondition
          ? (walk.schema.getType(selection.typeCondition.name.value) ?? undefined)
          : parent;
        add(measureSet(walk, selection.selectionSet, condition, pageSize));
        break;
      }
      case Kind.FRAGMENT_SPREAD:
        add(measureFragment(walk, selection.name.value, pageSize));
        break;
      default:
        assertNever(selection, "selection");
    }
  }
  return total;
}

function measureFragment(walk: Walk, name: string, pageSize: number): SetMeasure {
  const key = `${name}\u0000${pageSize}`;
  const known = walk.memo.get(key);
  if (known) return known;
  const fragment = walk.fragments.get(name);
  // An unknown fragment is left to validation, which names it properly.
  if (!fragment) return { depth: 0, aliases: 0, cost: 0 };
  if (walk.inProgress.has(name)) throw new FragmentCycleError(name);
  walk.inProgress.add(name);
  const measure = measureSet(
    walk,
    fragment.selectionSet,
    walk.schema.getType(fragment.typeCondition.name.value) ?? undefined,
    pageSize,
  );
  walk.inProgress.delete(name);
  walk.memo.set(key, measure);
  return measure;
}

function measureField(
  walk: Walk,
  field: FieldNode,
  parent: GraphQLNamedType | undefined,
  pageSize: number,
): SetMeasure {
  const definition = fieldDefinition(parent, field.name.value);
  const own: SetMeasure = { depth: 1, aliases: field.alias ? 1 : 0, cost: 1 };
  if (!field.selectionSet) return own;
  const type = definition ? getNamedType(definition.type) : undefined;
  const childPageSize = pageSizeOf(field, definition, walk.variables);
  const children = measureSet(walk, field.selectionSet, type, childPageSize);
  // A paged field fetches its page whatever the client then selects of it, so its rows count
  // even under `totalCount` alone (a thousand aliased connections are a thousand pages).
  const paged = definition?.args.some((argument) => argument.name === "first") ? childPageSize : 0;
  let multiplier = 1;
  const lists = definition ? listDepth(definition.type) : 0;
  if (lists > 0) {
    const parentName = parent?.name ?? "";
    const size =
      walk.listSize?.(parentName, field, walk.variables) ??
      (paged > 0
        ? paged
        : connectionListFields.has(field.name.value)
          ? pageSize
          : (declaredListSizes[`${parentName}.${field.name.value}`] ?? defaultListSize));
    multiplier = size ** lists;
  }
  return {
    depth: 1 + children.depth,
    aliases: own.aliases + children.aliases,
    cost: 1 + paged + multiplier * children.cost,
  };
}

/**
 * Measures an operation without executing or validating it: validation itself is work an
 * attacker can make expensive (overlapping-fields checks grow with the square of the
 * fields), so this runs first and keeps every fragment's measure, making it linear in the
 * document's size even for a document of fragments that each spread the next twice.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
  listSize?: ListSizeOverride,
): OperationMeasure {
  const root = schema.getRootType(operation.operation) ?? undefined;
  const walk: Walk = { schema, fragments, variables, listSize, memo: new Map(), inProgress: new Set() };
  const measure = measureSet(walk, operation.selectionSet, root, defaultPageSize);
  return {
    depth: measure.depth,
    aliases: measure.aliases,
    rootFields: rootFieldCount(walk, operation.selectionSet),
    cost: measure.cost,
  };
}

/** Root fields, each fragment counted once: a fragment spread twice selects the same keys. */
function rootFieldCount(walk: Walk, selectionSet: SelectionSetNode, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        count += 1;
        break;
      case Kind.INLINE_FRAGMENT:
        count += rootFieldCount(walk, selection.selectionSet, seen);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = walk.fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          count += rootFieldCount(walk, fragment.selectionSet, seen);
        }
        break;
      }
      default:
        assertNever(selection, "selection");
    }
  }
  return count;
}
